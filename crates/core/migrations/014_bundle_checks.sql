-- A photo's original is found by joining `<sha256>.<ext>` onto the photos folder, so a sha256
-- that is anything but 64 lowercase hex digits (a path, `..`) must never be stored: the code
-- checks it (photos::is_sha, the bundle check), and these triggers refuse it in the schema too.
-- SQLite cannot add a CHECK to an existing table without rebuilding it; triggers do the same.
CREATE TRIGGER photos_sha256_insert BEFORE INSERT ON photos
WHEN length(NEW.sha256) <> 64 OR NEW.sha256 GLOB '*[^0-9a-f]*'
BEGIN
    SELECT RAISE(ABORT, 'photos.sha256 must be 64 lowercase hex digits');
END;

CREATE TRIGGER photos_sha256_update BEFORE UPDATE OF sha256 ON photos
WHEN length(NEW.sha256) <> 64 OR NEW.sha256 GLOB '*[^0-9a-f]*'
BEGIN
    SELECT RAISE(ABORT, 'photos.sha256 must be 64 lowercase hex digits');
END;
