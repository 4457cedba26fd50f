-- Resolved sign-ins are cached in memory by every server instance (server/accounts/
-- SessionCache.h), as playback decisions are (sql/0012). sql/0012 already notifies a revoked or
-- shortened sign-in and a suspension ('user:<id>'); these are the other changes a cached
-- sign-in must not outlive: a role granted or taken (admin, creator), a renamed user or a new
-- e-mail address (what the server shows and stamps as the user), a sign-in or a user deleted,
-- a sign-in moved to another user or secret, a sign-in's last use moved back (it may now be
-- idle past its limit), and a table emptied ('all').
CREATE FUNCTION notify_sign_in_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('reelgate_revocations', 'all');
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('reelgate_revocations', 'user:' || OLD.id);
    ELSE
        PERFORM pg_notify('reelgate_revocations', 'user:' || OLD.user_id);
        IF TG_OP = 'UPDATE' AND NEW.user_id <> OLD.user_id THEN
            PERFORM pg_notify('reelgate_revocations', 'user:' || NEW.user_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_sign_in_changed
    AFTER UPDATE OF is_admin, is_creator, username, email ON users FOR EACH ROW
    WHEN (OLD.is_admin IS DISTINCT FROM NEW.is_admin OR OLD.is_creator IS DISTINCT FROM NEW.is_creator
          OR OLD.username IS DISTINCT FROM NEW.username OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION notify_sign_in_change();

CREATE TRIGGER users_deleted
    AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_sign_in_change();

CREATE TRIGGER auth_sessions_deleted
    AFTER DELETE ON auth_sessions FOR EACH ROW EXECUTE FUNCTION notify_sign_in_change();

CREATE TRIGGER auth_sessions_moved
    AFTER UPDATE OF user_id, token_hash, kind ON auth_sessions FOR EACH ROW
    WHEN (OLD.user_id <> NEW.user_id OR OLD.token_hash <> NEW.token_hash OR OLD.kind <> NEW.kind)
    EXECUTE FUNCTION notify_sign_in_change();

CREATE TRIGGER auth_sessions_aged
    AFTER UPDATE OF last_seen_at ON auth_sessions FOR EACH ROW
    WHEN (NEW.last_seen_at < OLD.last_seen_at)
    EXECUTE FUNCTION notify_sign_in_change();

CREATE TRIGGER users_emptied
    AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_in_change();

CREATE TRIGGER auth_sessions_emptied
    AFTER TRUNCATE ON auth_sessions FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_in_change();
