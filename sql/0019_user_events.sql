-- What a signed-in page hears at once through GET /api/me/events, whichever server instance
-- (or operator) made the change: every instance LISTENs on 'reelgate_user_events'
-- (server/playback/RevocationListener) and publishes each payload to the user's open streams
-- (server/events/UserEventRelay). Payload: '<user id>:<event>:<one-line JSON>'.
--   deposit         a deposit's status changed: {"id": public id, "status": ...}
--   playback_ended  one of the user's playback sessions was ended (stream limit elsewhere,
--                   refund, lost access): {"video": public id of the video}
CREATE FUNCTION notify_user_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deposits' THEN
        PERFORM pg_notify('reelgate_user_events', NEW.user_id || ':deposit:' ||
            json_build_object('id', NEW.public_id, 'status', NEW.status)::text);
    ELSE
        PERFORM pg_notify('reelgate_user_events', NEW.user_id || ':playback_ended:' ||
            json_build_object('video', (SELECT public_id FROM videos WHERE id = NEW.video_id))::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER deposits_status_event
    AFTER UPDATE OF status ON deposits FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION notify_user_event();

CREATE TRIGGER playback_sessions_ended_event
    AFTER UPDATE OF revoked_at ON playback_sessions FOR EACH ROW
    WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION notify_user_event();
