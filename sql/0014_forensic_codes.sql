-- Collusion-resistant forensic codes (issue 17). Every video gets a secret seed for the
-- per-slot biases of its Tardos code, every playback session a secret seed for its own bits
-- (shared/core TardosCode.h). Sessions created before this migration keep playing the old
-- self-decodable frame code (forensic_scheme 1); new ones play the Tardos code (scheme 2).
-- gen_random_uuid() is volatile: each existing row gets its own seed.
ALTER TABLE videos ADD COLUMN forensic_seed uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE playback_sessions ADD COLUMN forensic_seed uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE playback_sessions ADD COLUMN forensic_scheme smallint NOT NULL DEFAULT 1
    CHECK (forensic_scheme IN (1, 2));
ALTER TABLE playback_sessions ALTER COLUMN forensic_scheme SET DEFAULT 2;
