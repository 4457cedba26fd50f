#!/usr/bin/env python3
"""Draws the Reelgate Studio application icon as PNG files (standard library only).

The icon is a rounded square with a violet gradient, a white play triangle and an amber coin
(pay per view). Shapes are sampled 4x4 per pixel for smooth edges. The PNGs are checked in;
run this again only to change the design:

    python3 installers/linux/make-icon.py installers/linux/icons
"""
import os
import struct
import sys
import zlib

SIZES = (48, 128, 256)
SUBSAMPLES = 4


def inside_rounded_square(x, y, radius):
    # x, y in [0, 1]; the square spans [0.04, 0.96] with rounded corners.
    lo, hi = 0.04, 0.96
    if x < lo or x > hi or y < lo or y > hi:
        return False
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_triangle(x, y):
    # Play triangle pointing right, slightly left of centre.
    ax, ay, bx, by, cx, cy = 0.34, 0.26, 0.34, 0.74, 0.74, 0.50

    def side(px, py, qx, qy):
        return (x - qx) * (py - qy) - (px - qx) * (y - qy)

    s1, s2, s3 = side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)
    return (s1 <= 0 and s2 <= 0 and s3 <= 0) or (s1 >= 0 and s2 >= 0 and s3 >= 0)


def sample(x, y):
    """Colour (r, g, b, a) of the design at a point of the unit square."""
    coin_dx, coin_dy = x - 0.76, y - 0.76
    coin = coin_dx ** 2 + coin_dy ** 2
    if coin <= 0.15 ** 2:
        if coin >= 0.115 ** 2:
            return (180, 110, 0, 255)  # coin rim
        return (255, 176, 32, 255)
    if coin <= 0.175 ** 2 and inside_rounded_square(x, y, 0.2):
        return (255, 255, 255, 255)  # white ring separating the coin from the square
    if inside_triangle(x, y):
        return (255, 255, 255, 255)
    if inside_rounded_square(x, y, 0.2):
        t = (x + y) / 2
        return (int(70 + 60 * t), int(40 + 10 * t), int(160 + 70 * t), 255)
    return (0, 0, 0, 0)


def render(size):
    rows = []
    n = SUBSAMPLES
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0 for this scanline
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    r, g, b, a = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3]
            if alpha == 0:
                row += b"\0\0\0\0"
            else:
                row += bytes((acc[0] // alpha, acc[1] // alpha, acc[2] // alpha, alpha // (n * n)))
        rows.append(bytes(row))
    return b"".join(rows)


def png_bytes(size, pixels):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b""))


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out_dir, exist_ok=True)
    for size in SIZES:
        path = os.path.join(out_dir, f"reelgate-studio-{size}.png")
        with open(path, "wb") as f:
            f.write(png_bytes(size, render(size)))
        print(path)


if __name__ == "__main__":
    main()
