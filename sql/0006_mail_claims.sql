-- 0006: the SMTP relay claims an outbox entry for a while instead of holding a transaction
-- (and a pooled connection) open while it talks to the mail server. A relay that dies mid-send
-- leaves the claim to expire; another relay (or the next run) sends the entry then.
ALTER TABLE mail_outbox ADD COLUMN claimed_until timestamptz;
