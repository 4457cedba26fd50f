-- Playback decisions are cached in memory by every server instance for a session's whole life
-- (server/playback/PlaybackService.h). Each change that ends such a decision tells every
-- instance listening on 'reelgate_revocations', whichever instance (or operator) made it.
-- Payloads: 'session:<playback session id>', 'user:<user id>', 'video:<video id>'.
-- pg_notify is delivered at commit, and a payload repeated in one transaction is sent once.
CREATE FUNCTION notify_playback_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'playback_sessions' THEN
        PERFORM pg_notify('reelgate_revocations', 'session:' || NEW.id);
    ELSIF TG_TABLE_NAME = 'auth_sessions' THEN
        PERFORM pg_notify('reelgate_revocations', 'user:' || NEW.user_id);
    ELSIF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('reelgate_revocations', 'user:' || NEW.id);
    ELSE
        PERFORM pg_notify('reelgate_revocations', 'video:' || NEW.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER playback_sessions_revoked
    AFTER UPDATE OF revoked_at, expires_at ON playback_sessions FOR EACH ROW
    WHEN ((OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) OR NEW.expires_at < OLD.expires_at)
    EXECUTE FUNCTION notify_playback_revocation();

CREATE TRIGGER auth_sessions_revoked
    AFTER UPDATE OF revoked_at, expires_at ON auth_sessions FOR EACH ROW
    WHEN ((OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) OR NEW.expires_at < OLD.expires_at)
    EXECUTE FUNCTION notify_playback_revocation();

CREATE TRIGGER users_status_changed
    AFTER UPDATE OF status ON users FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION notify_playback_revocation();

CREATE TRIGGER videos_package_changed
    AFTER UPDATE OF package_dir ON videos FOR EACH ROW
    WHEN (OLD.package_dir IS DISTINCT FROM NEW.package_dir)
    EXECUTE FUNCTION notify_playback_revocation();
