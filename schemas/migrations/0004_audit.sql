-- porchlight store, schema version 4: the privacy audit of FOIA text (porchlight audit,
-- findings, codebook; docs/codebook.md). A codebook's rules are run over every page; what
-- they find is kept with its place in the text, and a researcher's review of each finding
-- is kept apart, by a key that survives re-runs.

-- A codebook as it was run: its name (its identity: default, or the name in the file) and
-- the SHA-256 of the file's bytes. A changed file is a new row with the same name.
CREATE TABLE codebooks (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    file_name TEXT,                          -- the file it was read from, as given
    rules     TEXT NOT NULL,                 -- JSON array: id, label, severity, description
    loaded_at TEXT NOT NULL,                 -- UTC, when first run
    UNIQUE (name, sha256)
);

-- One run that changed something. A run that would change nothing (the same codebook over
-- the same pages) is not recorded: re-running is a no-op.
CREATE TABLE audit_runs (
    id                 INTEGER PRIMARY KEY,
    codebook_id        INTEGER NOT NULL REFERENCES codebooks(id) DEFERRABLE INITIALLY DEFERRED,
    run_at             TEXT NOT NULL,        -- UTC
    scope              TEXT,                 -- 'source 3', 'agency 12', NULL: every page
    pages              INTEGER NOT NULL,     -- pages read
    findings           INTEGER NOT NULL,     -- findings in scope after the run
    new                INTEGER NOT NULL,
    unchanged          INTEGER NOT NULL,
    removed            INTEGER NOT NULL,
    porchlight_version TEXT
);

-- A finding: a rule of a codebook matched bytes [begin, end) of a page's text. The row is
-- its own evidence: it carries its locator (source, document, page, span) and excerpt.
-- removed_run_id is NULL while the finding is current; a later run of the codebook (a
-- changed file, or a rule that no longer matches) sets it, and the row stays as history.
CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    finding_key    TEXT NOT NULL,            -- sha256 of codebook name, rule id, document
                                             -- sha256, page number and span: stable across
                                             -- re-runs and stores; reviews are keyed by it
    codebook_id    INTEGER NOT NULL REFERENCES codebooks(id) DEFERRABLE INITIALLY DEFERRED,
    rule_id        TEXT NOT NULL,
    run_id         INTEGER NOT NULL REFERENCES audit_runs(id) DEFERRABLE INITIALLY DEFERRED,
    removed_run_id INTEGER REFERENCES audit_runs(id) DEFERRABLE INITIALLY DEFERRED,
    source_id      INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    document_id    INTEGER NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    page_id        INTEGER NOT NULL REFERENCES pages(id) DEFERRABLE INITIALLY DEFERRED,
    page_no        INTEGER NOT NULL,
    message_id     INTEGER REFERENCES email_messages(id) DEFERRABLE INITIALLY DEFERRED,
    begin          INTEGER NOT NULL,         -- byte offsets into pages.text
    end            INTEGER NOT NULL,
    excerpt        TEXT NOT NULL,            -- the match «marked», personal data masked
    agency_id      INTEGER REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    agency         TEXT,                     -- the agency's name, or the release's as written
    agency_from    TEXT CHECK (agency_from IN ('release', 'text')),
    date           TEXT,                     -- the e-mail's time, else the document's, else
    date_from      TEXT CHECK (date_from IN ('message', 'document', 'release')) -- the release's
);
CREATE UNIQUE INDEX findings_current ON findings(codebook_id, page_id, rule_id, begin, end)
    WHERE removed_run_id IS NULL;
CREATE INDEX findings_key ON findings(finding_key);
CREATE INDEX findings_page ON findings(page_id);

-- A researcher's decision on a finding, by its key: it holds for the finding in every
-- later run (and for the same finding in another copy of the document).
CREATE TABLE finding_reviews (
    id          INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL UNIQUE,
    decision    TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    note        TEXT,
    reviewed_at TEXT NOT NULL                -- UTC
);

-- The current findings, readable without porchlight.
CREATE VIEW audit_findings AS
SELECT f.id, c.name AS codebook, f.rule_id AS rule, f.source_id, d.path AS document,
       f.page_no AS page, f.message_id, f.begin, f.end, f.agency, f.agency_id, f.date,
       f.excerpt, r.decision AS review, r.note AS review_note, f.finding_key
FROM findings f
JOIN codebooks c ON c.id = f.codebook_id
JOIN documents d ON d.id = f.document_id
LEFT JOIN finding_reviews r ON r.finding_key = f.finding_key
WHERE f.removed_run_id IS NULL;

-- A finding is evidenced by the page it points at; one whose page is gone has none. A camera
-- read from a record source (schema 3) is evidenced by its row (cameras.record_id).
DROP VIEW facts_without_evidence;
CREATE VIEW facts_without_evidence AS
SELECT 'agency' AS fact_type, id AS fact_id FROM agencies
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'agency' AND e.fact_id = agencies.id)
UNION ALL
SELECT 'partnership', id FROM partnerships
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'partnership' AND e.fact_id = partnerships.id)
UNION ALL
SELECT 'location', id FROM agencies
 WHERE geocode_provider IS NOT NULL AND geocode_precision <> 'none'
   AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'location' AND e.fact_id = agencies.id)
UNION ALL
SELECT 'video_request', id FROM video_requests
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'video_request' AND e.fact_id = video_requests.id)
UNION ALL
SELECT 'camera', id FROM cameras
 WHERE record_id IS NULL
   AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'camera' AND e.fact_id = cameras.id)
UNION ALL
SELECT 'message', id FROM email_messages
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'message' AND e.fact_id = email_messages.id)
UNION ALL
SELECT 'finding', id FROM findings
 WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.id = findings.page_id)
   AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'finding' AND e.fact_id = findings.id);
