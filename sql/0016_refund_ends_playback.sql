-- 0016: a purchase taken back (an admin refund, a provider refund or dispute: every path deletes
-- the purchase row) ends the buyer's live playback sessions of that video at once, unless they
-- can still watch it (creator, admin, allowlisted while published). Ending them fires the
-- revocation notification of 0012, so every server instance drops its cached decision: a
-- refunded buyer's player stops at its next request, not when its session would have expired.
CREATE FUNCTION end_playback_of_lost_purchase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE playback_sessions s SET revoked_at = now()
      FROM users u, videos v
     WHERE s.user_id = OLD.buyer_id AND s.video_id = OLD.video_id AND s.revoked_at IS NULL
       AND u.id = s.user_id AND v.id = s.video_id
       AND NOT u.is_admin AND v.creator_id <> s.user_id
       AND NOT (v.state = 'published' AND EXISTS (
               SELECT 1 FROM video_allowlist a WHERE a.user_id = s.user_id
                                                 AND a.video_id = s.video_id));
    RETURN NULL;
END
$$;

CREATE TRIGGER purchases_taken_back
    AFTER DELETE ON purchases FOR EACH ROW
    EXECUTE FUNCTION end_playback_of_lost_purchase();
