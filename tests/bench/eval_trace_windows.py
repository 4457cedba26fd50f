#!/usr/bin/env python3
"""Scores every 4-minute window of an attacked recording from ONE trace of the whole recording.

The issue's bar is "any continuous 4 minutes of a screen-capture-like recording, re-encoded to
480p at <= 1 Mbps, names the right buyer". Tracing each window for real costs a detection per
window; this tool traces the whole attacked recording once (`reelgate-server trace --json`, the
real detector and the real session ranking), then, for every window start, keeps only the slots
whose mark window lies inside what a stream-copy cut of that window shows (from the keyframe
before its start to start + 240 s, on the detector's time line), and runs the real `trace` again
with the detector replaced by a replay of those readings (REELGATE_ENCODE_BIN). The decision per
window (named correctly / not identified / named wrongly) is therefore the server's own, on the
slots that window holds.

--check START,...: also cuts those windows by stream copy, traces them for real and prints both
decisions side by side (the subset score stands in for a real trace only where they agree).

Usage: eval_trace_windows.py --server BIN --data-dir DIR --video ID --leaker USER
           --recording ATTACKED.mp4 [--step 10] [--window 240] [--check 0,120] [--full FULL.json]
           [--database-url URL]
Prints one line per window and a summary; exit status 1 when any window names a wrong buyer.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SEGMENT_S = 2.0  # the package's segment length (checked against the slot count below)


SERVER_ARGS = []  # --database-url URL: replays can share a PostgreSQL that is already running


def trace(server, data_dir, video, copy, env=None):
    started = time.time()
    done = subprocess.run([server, "trace", copy, "--video", video, "--json", "--data-dir",
                           data_dir] + SERVER_ARGS, capture_output=True, text=True, env=env)
    seconds = time.time() - started
    try:
        return json.loads(done.stdout), seconds
    except json.JSONDecodeError:
        return {"error": done.stderr.strip()[-200:]}, seconds


def outcome(result, leaker):
    named = [n.get("user", {}).get("username") for n in result.get("named", [])]
    if any(name != leaker for name in named):
        return "NAMED WRONGLY"
    return "named correctly" if named else "not identified"


def keyframes(recording):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame",
                          "nokey", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
                          recording], capture_output=True, text=True, check=True).stdout
    return sorted(float(line.strip(",")) for line in out.split() if line.strip(","))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--video", required=True)
    ap.add_argument("--leaker", required=True)
    ap.add_argument("--recording", required=True)
    ap.add_argument("--step", type=float, default=10)
    ap.add_argument("--window", type=float, default=240)
    ap.add_argument("--check", default="")
    ap.add_argument("--full", help="a saved full trace (--json) of the recording")
    ap.add_argument("--database-url", help="passed to reelgate-server")
    args = ap.parse_args()
    if args.database_url:
        SERVER_ARGS.extend(["--database-url", args.database_url])

    if args.full:
        full = json.load(open(args.full))
        full_seconds = 0
    else:
        full, full_seconds = trace(args.server, args.data_dir, args.video, args.recording)
    if "readings" not in full:
        sys.exit("the full trace failed: %s" % full.get("error"))
    offset = full["detection"]["offset_seconds"]
    frames = keyframes(args.recording)
    duration = frames[-1] if frames else 0
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                            "csv=p=0", args.recording], capture_output=True, text=True)
    duration = max(duration, float(probe.stdout.strip() or 0))
    print("full recording: %s, %d of %d slots read, offset %.2f s, trace %.0f s"
          % (outcome(full, args.leaker), full["slots"]["read_a"] + full["slots"]["read_b"],
             full["slots"]["total"], offset, full_seconds))

    work = tempfile.mkdtemp(prefix="eval-windows-")
    stub = os.path.join(work, "replay-detector")
    with open(stub, "w") as out:
        out.write('#!/bin/sh\ncat "$REELGATE_EVAL_REPLAY"\n')
    os.chmod(stub, 0o755)

    def replay(start):
        first = max([k for k in frames if k <= start + 1e-6] or [0.0])
        begin, end = first + offset, start + args.window + offset  # package time
        slots = []
        for s in full["readings"]:
            inside = s["slot"] * SEGMENT_S >= begin and s["slot"] * SEGMENT_S + 1 <= end
            slots.append(s if inside else dict(s, bit="?", z=0, gamma=0, confidence=0, frames=0))
        path = os.path.join(work, "readings.json")
        with open(path, "w") as out:
            json.dump({"rendition": full["detection"]["rendition"], "offset_seconds": offset,
                       "alignment_score": full["detection"]["alignment_score"],
                       "crop": full["detection"]["crop"], "slots": slots, "decoded": None}, out)
        env = dict(os.environ, REELGATE_ENCODE_BIN=stub, REELGATE_EVAL_REPLAY=path)
        for attempt in range(5):  # the database may be between two users
            result, _ = trace(args.server, args.data_dir, args.video, args.recording, env)
            if "error" not in result:
                return result
            time.sleep(2)
        sys.exit("the replayed trace failed: %s" % result["error"])

    counts = {"named correctly": 0, "not identified": 0, "NAMED WRONGLY": 0}
    start = 0.0
    while start + args.window <= duration + 0.5:
        result = replay(start)
        decision = outcome(result, args.leaker)
        counts[decision] += 1
        best = result.get("named") or [result.get("runner_up") or {}]
        print("window %5.0f s: %-15s %3s/%3s agreeing/read, bound %s"
              % (start, decision, best[0].get("slots_agreeing", "-"),
                 best[0].get("slots_read", "-"), best[0].get("false_accusation_bound", "-")))
        start += args.step
    print("summary: %d windows, named correctly %d, not identified %d, named wrongly %d"
          % (sum(counts.values()), counts["named correctly"], counts["not identified"],
             counts["NAMED WRONGLY"]))

    for text in filter(None, args.check.split(",")):
        start = float(text)
        cut = os.path.join(work, "cut-%d.mp4" % start)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(start), "-i", args.recording,
                        "-t", str(args.window), "-c", "copy", cut], check=True)
        real, seconds = trace(args.server, args.data_dir, args.video, cut)
        subset = replay(start)
        real_best = real.get("named") or [real.get("runner_up") or {}]
        subset_best = subset.get("named") or [subset.get("runner_up") or {}]
        print("check %5.0f s: real trace %s (%s/%s, %.0f s), subset %s (%s/%s)%s"
              % (start, outcome(real, args.leaker), real_best[0].get("slots_agreeing"),
                 real_best[0].get("slots_read"), seconds, outcome(subset, args.leaker),
                 subset_best[0].get("slots_agreeing"), subset_best[0].get("slots_read"),
                 "" if outcome(real, args.leaker) == outcome(subset, args.leaker)
                 else "  DISAGREE"))
    return 1 if counts["NAMED WRONGLY"] else 0


if __name__ == "__main__":
    sys.exit(main())
