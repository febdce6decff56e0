-- porchlight store, schema version 1: the whole data model of docs/data-model.md.
-- Applied by porchlight on open when PRAGMA user_version < 1, inside one transaction.
-- Dates are ISO 8601 text: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', with a *_precision column
-- ('year', 'month', 'day'); times are UTC 'YYYY-MM-DDTHH:MM:SSZ'.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One file or download exactly as received; its bytes are in blobs/<sha256[0:2]>/<sha256>.
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    size            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('records', 'documents')),
    format          TEXT NOT NULL,            -- csv, xlsx, ods, geojson, gpkg, kml, kmz, pdf ...
    file_name       TEXT NOT NULL,            -- base name as received
    origin          TEXT NOT NULL,            -- absolute path or URL
    title           TEXT,
    dataset         TEXT,                     -- snapshots of one dataset share this key
    profile         TEXT,                     -- profile name used to read it
    profile_sha256  TEXT,                     -- hash of the profile file's bytes
    as_of           TEXT,                     -- the date the snapshot describes
    retrieved_at    TEXT,                     -- file mtime, or HTTP retrieval time
    ingested_at     TEXT NOT NULL,
    porchlight_version TEXT NOT NULL,
    http_status     INTEGER,
    final_url       TEXT,
    etag            TEXT,
    last_modified   TEXT,
    content_type    TEXT,
    foia_request    TEXT,
    requester       TEXT,
    responding_agency TEXT,
    released        TEXT,
    row_count       INTEGER NOT NULL DEFAULT 0,
    warning_count   INTEGER NOT NULL DEFAULT 0
);

-- A later observation that a source's bytes were unchanged (conditional re-fetch).
CREATE TABLE source_observations (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    observed_at TEXT NOT NULL,
    how         TEXT NOT NULL               -- 'ingest-same-bytes', 'http-304'
);

-- Expected per-row problems (bad date in one row ...): counted, reported, kept.
CREATE TABLE ingest_warnings (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    locator   TEXT NOT NULL,
    row_no    INTEGER,
    field     TEXT,
    message   TEXT NOT NULL
);
CREATE INDEX ingest_warnings_source ON ingest_warnings(source_id);

-- A unit inside a source: a PDF, an e-mail, an attachment, a file in a zip.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    parent_id   INTEGER REFERENCES documents(id),
    path        TEXT NOT NULL,               -- path inside the source ('' for the source itself)
    kind        TEXT NOT NULL,               -- pdf, email, attachment, docx, html, text ...
    mime_type   TEXT,
    title       TEXT,
    page_count  INTEGER,
    sha256      TEXT,
    metadata    TEXT                         -- JSON object
);
CREATE INDEX documents_source ON documents(source_id);

-- The text of one page (or one message body).
CREATE TABLE pages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    page_no     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    needs_ocr   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, page_no)
);
CREATE VIRTUAL TABLE pages_fts USING fts5(text, content='pages', content_rowid='id',
                                          tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER pages_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER pages_ad AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER pages_au AFTER UPDATE ON pages BEGIN
    INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
END;

-- One e-mail; the same message in two releases is one row with two pieces of evidence.
CREATE TABLE email_messages (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT UNIQUE,                -- RFC 5322 Message-ID when known
    content_hash TEXT NOT NULL UNIQUE,       -- sha256 of normalised from/sent/subject/body
    from_addr    TEXT,
    to_addrs     TEXT,
    cc_addrs     TEXT,
    sent_utc     TEXT,
    sent_offset  TEXT,                       -- original UTC offset, '+HH:MM'
    subject      TEXT,
    body_page_id INTEGER REFERENCES pages(id),
    class        TEXT
);

-- One row / feature / placemark of a tabular or spatial source.
CREATE TABLE records (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    row_no    INTEGER NOT NULL,              -- 1-based data row / feature / placemark number
    locator   TEXT NOT NULL,                 -- 'row 12', 'placemark 3', 'feature 7'
    data      TEXT NOT NULL,                 -- JSON object of the fields as read
    geometry  TEXT,                          -- WKT in WGS84 when the record has one
    UNIQUE (source_id, row_no)
);

CREATE TABLE agencies (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,             -- canonical name (first spelling seen)
    norm_name     TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT 'other'
                  CHECK (kind IN ('police', 'sheriff', 'state', 'fire', 'other')),
    state         TEXT,                      -- USPS code
    county        TEXT,
    county_fips   TEXT,
    place         TEXT,
    norm_place    TEXT NOT NULL DEFAULT '',
    ori           TEXT,
    lat           REAL,
    lon           REAL,
    geocode_precision TEXT NOT NULL DEFAULT 'none'
                  CHECK (geocode_precision IN ('address', 'place', 'county_subdivision',
                                               'county', 'state', 'none')),
    geocode_provider TEXT,
    geocode_match TEXT,
    geocode_score REAL,
    geocode_warnings TEXT,
    gazetteer_version TEXT
);
CREATE INDEX agencies_name ON agencies(norm_name, state);

-- Every spelling seen, normalised, pointing at one agency.
CREATE TABLE aliases (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    alias     TEXT NOT NULL,
    norm      TEXT NOT NULL,
    UNIQUE (agency_id, alias)
);
CREATE INDEX aliases_norm ON aliases(norm);

CREATE TABLE vendors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE
);
CREATE TABLE vendor_aliases (
    id        INTEGER PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors(id),
    alias     TEXT NOT NULL,
    norm      TEXT NOT NULL UNIQUE
);
CREATE TABLE technologies (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE
);

-- agency x vendor x technology. start/end are derived from the claims by an explicit rule.
CREATE TABLE partnerships (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    vendor_id       INTEGER REFERENCES vendors(id),       -- NULL: the source names no vendor
    technology_id   INTEGER NOT NULL REFERENCES technologies(id),
    start_date      TEXT,
    start_precision TEXT CHECK (start_precision IN ('year', 'month', 'day')),
    end_date        TEXT,
    end_precision   TEXT CHECK (end_precision IN ('year', 'month', 'day')),
    start_rule      TEXT NOT NULL DEFAULT 'earliest-claim',
    first_seen      TEXT,                    -- earliest as_of of a snapshot that lists it
    last_seen       TEXT                     -- latest as_of of a snapshot that lists it
);
CREATE UNIQUE INDEX partnerships_key
    ON partnerships(agency_id, technology_id, ifnull(vendor_id, 0));

-- Where a fact was read: source, record or document/page, locator, short excerpt.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    fact_type   TEXT NOT NULL CHECK (fact_type IN ('agency', 'partnership', 'video_request',
                                                   'camera', 'message', 'finding')),
    fact_id     INTEGER NOT NULL,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    record_id   INTEGER REFERENCES records(id),
    document_id INTEGER REFERENCES documents(id),
    page_id     INTEGER REFERENCES pages(id),
    locator     TEXT NOT NULL,
    excerpt     TEXT
);
CREATE INDEX evidence_fact ON evidence(fact_type, fact_id);
CREATE INDEX evidence_source ON evidence(source_id);

-- What one piece of evidence says about a partnership's dates.
CREATE TABLE partnership_claims (
    evidence_id     INTEGER PRIMARY KEY REFERENCES evidence(id),
    partnership_id  INTEGER NOT NULL REFERENCES partnerships(id),
    start_date      TEXT,
    start_precision TEXT,
    start_raw       TEXT,
    end_date        TEXT,
    end_precision   TEXT,
    end_raw         TEXT
);
CREATE INDEX partnership_claims_partnership ON partnership_claims(partnership_id);

-- Links a record cites (the Atlas' Link 1..3, an agency profile URL).
CREATE TABLE links (
    id             INTEGER PRIMARY KEY,
    evidence_id    INTEGER NOT NULL REFERENCES evidence(id),
    position       INTEGER NOT NULL,
    url            TEXT,
    snapshot_url   TEXT,
    publisher      TEXT,
    link_type      TEXT,
    date           TEXT,
    date_precision TEXT,
    date_raw       TEXT
);
CREATE INDEX links_evidence ON links(evidence_id);

CREATE TABLE video_requests (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER REFERENCES agencies(id),
    requested_at   TEXT,
    case_number    TEXT,
    title          TEXT,
    center_lat     REAL,
    center_lon     REAL,
    radius_m       REAL,
    area_wkt       TEXT,
    window_start   TEXT,
    window_end     TEXT,
    users_notified INTEGER,
    videos_received INTEGER
);

-- Per-agency totals as of a date (never mixed with counts of individual requests).
CREATE TABLE request_totals (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    as_of      TEXT NOT NULL,
    total      INTEGER NOT NULL
);

CREATE TABLE cameras (
    id          INTEGER PRIMARY KEY,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    kind        TEXT,
    operator    TEXT,
    direction   REAL,
    field_of_view REAL,
    name        TEXT
);

-- Views for readers that do not know porchlight (Datasette, sqlite3, QGIS).

-- Partnerships whose claims disagree on the start or end date.
CREATE VIEW partnership_conflicts AS
SELECT p.id AS partnership_id,
       a.name AS agency, a.state AS state,
       v.name AS vendor, t.name AS technology,
       p.start_date AS chosen_start, p.start_rule AS rule,
       count(DISTINCT ifnull(c.start_date, '')) AS distinct_starts,
       group_concat(DISTINCT ifnull(c.start_date, 'undated')) AS claimed_starts,
       count(*) AS claims
FROM partnerships p
JOIN agencies a ON a.id = p.agency_id
JOIN technologies t ON t.id = p.technology_id
LEFT JOIN vendors v ON v.id = p.vendor_id
JOIN partnership_claims c ON c.partnership_id = p.id
WHERE c.start_date IS NOT NULL
GROUP BY p.id
HAVING count(DISTINCT c.start_date) > 1;

CREATE VIEW partnerships_view AS
SELECT p.id, a.id AS agency_id, a.name AS agency, a.kind AS agency_kind, a.place, a.county,
       a.state, v.name AS vendor, t.name AS technology,
       p.start_date, p.start_precision, p.end_date, p.end_precision, p.start_rule,
       p.first_seen, p.last_seen,
       (SELECT count(*) FROM evidence e
         WHERE e.fact_type = 'partnership' AND e.fact_id = p.id) AS evidence_count
FROM partnerships p
JOIN agencies a ON a.id = p.agency_id
JOIN technologies t ON t.id = p.technology_id
LEFT JOIN vendors v ON v.id = p.vendor_id;

-- Facts without evidence: must be empty (porchlight verify checks it).
CREATE VIEW facts_without_evidence AS
SELECT 'agency' AS fact_type, id AS fact_id FROM agencies
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'agency' AND e.fact_id = agencies.id)
UNION ALL
SELECT 'partnership', id FROM partnerships
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'partnership' AND e.fact_id = partnerships.id)
UNION ALL
SELECT 'video_request', id FROM video_requests
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'video_request' AND e.fact_id = video_requests.id)
UNION ALL
SELECT 'camera', id FROM cameras
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'camera' AND e.fact_id = cameras.id);
