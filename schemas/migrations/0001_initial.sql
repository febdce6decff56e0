-- porchlight store, schema version 1: the whole data model of docs/data-model.md.
-- Applied by porchlight on open when PRAGMA user_version < 1, inside one transaction.
-- Enumerations are checked with OR chains, not IN lists: SQLite builds a temporary
-- table for every evaluation of an IN list, which doubled the cost of a bulk insert.
-- Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked when a transaction commits, so a
-- bulk insert needs no statement journal per row (and a violation still fails the commit).
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
    kind            TEXT NOT NULL CHECK (kind = 'records' OR kind = 'documents' OR
                                         kind = 'reference' OR kind = 'manual'),
                                              -- reference: the gazetteer that placed agencies;
                                              -- manual: a user's note (set-location)
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
    columns         TEXT,                     -- JSON array: the column names of a records source
    row_count       INTEGER NOT NULL DEFAULT 0,
    warning_count   INTEGER NOT NULL DEFAULT 0
);

-- A later observation that a source's bytes were unchanged (conditional re-fetch).
CREATE TABLE source_observations (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    observed_at TEXT NOT NULL,
    how         TEXT NOT NULL               -- e.g. 'http-304' (a conditional re-fetch)
);

-- Expected per-row problems (bad date in one row ...): counted, reported, kept.
CREATE TABLE ingest_warnings (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    locator   TEXT NOT NULL,
    row_no    INTEGER,
    field     TEXT,
    message   TEXT NOT NULL
);
CREATE INDEX ingest_warnings_source ON ingest_warnings(source_id);

-- A unit inside a source: a PDF, an e-mail, an attachment, a file in a zip.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    parent_id   INTEGER REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
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
    document_id INTEGER NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
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
    body_page_id INTEGER REFERENCES pages(id) DEFERRABLE INITIALLY DEFERRED,
    class        TEXT
);

-- One row / feature / placemark of a tabular or spatial source.
CREATE TABLE records (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    row_no    INTEGER NOT NULL,              -- 1-based data row / feature / placemark number
    locator   TEXT NOT NULL,                 -- 'row 12', 'placemark 3', 'feature 7'
    data      TEXT NOT NULL,                 -- JSON array of the values as read, in the order
                                             -- of sources.columns (see the record_fields view)
    geometry  TEXT                           -- WKT in WGS84 when the record has one
);

CREATE TABLE agencies (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,             -- canonical name: the longest spelling seen
    norm_name     TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT 'other'
                  CHECK (kind = 'police' OR kind = 'sheriff' OR kind = 'state' OR kind = 'fire' OR kind = 'other'),
    jurisdiction  TEXT,                      -- the source's word: Municipal, County, State ...
    state         TEXT,                      -- USPS code
    county        TEXT,
    county_fips   TEXT,
    place         TEXT,
    norm_place    TEXT NOT NULL DEFAULT '',
    ori           TEXT,
    lat           REAL,
    lon           REAL,
    geocode_precision TEXT NOT NULL DEFAULT 'none'
                  CHECK (geocode_precision = 'address' OR geocode_precision = 'place' OR geocode_precision = 'county_subdivision' OR geocode_precision = 'county' OR geocode_precision = 'state' OR geocode_precision = 'none'),
    geocode_provider TEXT,
    geocode_match TEXT,                      -- what was matched: "Towson, MD", "Cook County, IL"
    geocode_match_id TEXT,                   -- its id: county/state FIPS, GeoNames place, ZIP
    geocode_score REAL,
    geocode_warnings TEXT,                   -- JSON array of strings: assumptions, disagreements
    gazetteer_version TEXT,                  -- data/gazetteer/VERSION used by the geocode
    geocoded_at   TEXT
);
CREATE INDEX agencies_name ON agencies(norm_name, state);

-- Every spelling seen, normalised, pointing at one agency.
CREATE TABLE aliases (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
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
    vendor_id INTEGER NOT NULL REFERENCES vendors(id) DEFERRABLE INITIALLY DEFERRED,
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
    agency_id       INTEGER NOT NULL REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    vendor_id       INTEGER REFERENCES vendors(id) DEFERRABLE INITIALLY DEFERRED,       -- NULL: the source names no vendor
    technology_id   INTEGER NOT NULL REFERENCES technologies(id) DEFERRABLE INITIALLY DEFERRED,
    start_date      TEXT,
    start_precision TEXT CHECK (start_precision = 'year' OR start_precision = 'month' OR start_precision = 'day'),
    end_date        TEXT,
    end_precision   TEXT CHECK (end_precision = 'year' OR end_precision = 'month' OR end_precision = 'day'),
    start_conflict  INTEGER NOT NULL DEFAULT 0, -- 1 when claims disagree on the start
    start_rule      TEXT NOT NULL DEFAULT 'earliest-claim',
    first_seen      TEXT,                    -- earliest as_of of a snapshot that lists it
    last_seen       TEXT                     -- latest as_of of a snapshot that lists it
);
CREATE UNIQUE INDEX partnerships_key
    ON partnerships(agency_id, technology_id, ifnull(vendor_id, 0));

-- Where a fact was read: source, record or document/page, locator, short excerpt, and
-- what that place claims about the fact's dates (for partnerships: the start and end as
-- read, parsed, with their precision) and the links it cites.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    fact_type   TEXT NOT NULL CHECK (fact_type = 'agency' OR fact_type = 'partnership' OR
                                     fact_type = 'location' OR fact_type = 'video_request' OR
                                     fact_type = 'camera' OR fact_type = 'message' OR
                                     fact_type = 'finding'),
                                     -- location: fact_id is the agency whose point it gives
    fact_id     INTEGER NOT NULL,
    source_id   INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    record_id   INTEGER REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
    document_id INTEGER REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    page_id     INTEGER REFERENCES pages(id) DEFERRABLE INITIALLY DEFERRED,
    locator     TEXT NOT NULL,
    excerpt     TEXT,
    claim_start           TEXT,
    claim_start_precision TEXT CHECK (claim_start_precision = 'year' OR claim_start_precision = 'month' OR claim_start_precision = 'day'),
    claim_start_raw       TEXT,
    claim_end             TEXT,
    claim_end_precision   TEXT CHECK (claim_end_precision = 'year' OR claim_end_precision = 'month' OR claim_end_precision = 'day'),
    claim_end_raw         TEXT
);
-- fact_id first: integer comparisons are cheaper while a bulk load inserts into the index
CREATE INDEX evidence_fact ON evidence(fact_id, fact_type);

-- What each piece of partnership evidence claims about the partnership's dates.
CREATE VIEW partnership_claims AS
SELECT id AS evidence_id, fact_id AS partnership_id, source_id,
       claim_start AS start_date, claim_start_precision AS start_precision,
       claim_start_raw AS start_raw, claim_end AS end_date,
       claim_end_precision AS end_precision, claim_end_raw AS end_raw
FROM evidence WHERE fact_type = 'partnership';

-- Which columns of a records source hold the links its rows cite (the Atlas' Link 1..3
-- with snapshot, publisher, type and date; an agency profile URL): 0-based indexes into
-- records.data. One row per source and link position, so no row's links are stored twice.
CREATE TABLE source_link_columns (
    source_id     INTEGER NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    position      INTEGER NOT NULL,
    url_col       INTEGER NOT NULL,
    snapshot_col  INTEGER,
    publisher_col INTEGER,
    type_col      INTEGER,
    date_col      INTEGER,
    PRIMARY KEY (source_id, position)
);

-- The links each piece of record evidence cites, read from the record as written.
CREATE VIEW evidence_links AS
SELECT e.id AS evidence_id, e.fact_type, e.fact_id, e.source_id, e.locator, m.position,
       json_extract(r.data, '$[' || m.url_col || ']') AS url,
       nullif(json_extract(r.data, '$[' || m.snapshot_col || ']'), '') AS snapshot_url,
       nullif(json_extract(r.data, '$[' || m.publisher_col || ']'), '') AS publisher,
       nullif(json_extract(r.data, '$[' || m.type_col || ']'), '') AS link_type,
       nullif(json_extract(r.data, '$[' || m.date_col || ']'), '') AS date_as_written
FROM evidence e
JOIN records r ON r.id = e.record_id
JOIN source_link_columns m ON m.source_id = e.source_id
WHERE e.fact_type = 'partnership'
  AND trim(ifnull(json_extract(r.data, '$[' || m.url_col || ']'), '')) <> '';

CREATE TABLE video_requests (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
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
    agency_id  INTEGER NOT NULL REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    as_of      TEXT NOT NULL,
    total      INTEGER NOT NULL
);

-- Answers of online geocoding providers, kept so that a query is asked once: the same
-- query to the same provider and base URL returns the stored answer.
CREATE TABLE geocode_cache (
    provider    TEXT NOT NULL,               -- census, nominatim
    base_url    TEXT NOT NULL,
    query       TEXT NOT NULL,               -- the query string as sent
    status      INTEGER NOT NULL,            -- HTTP status
    body        TEXT NOT NULL,               -- the response body as received
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (provider, base_url, query)
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

-- One row per record and column: the value a source gave for that column.
CREATE VIEW record_fields AS
SELECT r.id AS record_id, r.source_id, r.locator, c.value AS column_name, v.value AS value
FROM records r
JOIN sources s ON s.id = r.source_id
JOIN json_each(s.columns) c
JOIN json_each(r.data) v ON v.key = c.key;

-- Partnerships whose claims disagree on the start date: some claim cannot mean the same
-- day as the chosen start (see docs/data-model.md for the rule).
CREATE VIEW partnership_conflicts AS
SELECT p.id AS partnership_id,
       a.name AS agency, a.state AS state,
       v.name AS vendor, t.name AS technology,
       p.start_date AS chosen_start, p.start_precision AS chosen_precision,
       p.start_rule AS rule
FROM partnerships p
JOIN agencies a ON a.id = p.agency_id
JOIN technologies t ON t.id = p.technology_id
LEFT JOIN vendors v ON v.id = p.vendor_id
WHERE p.start_conflict = 1;

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
SELECT 'location', id FROM agencies
 WHERE geocode_provider IS NOT NULL AND geocode_precision <> 'none'
   AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'location' AND e.fact_id = agencies.id)
UNION ALL
SELECT 'video_request', id FROM video_requests
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'video_request' AND e.fact_id = video_requests.id)
UNION ALL
SELECT 'camera', id FROM cameras
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'camera' AND e.fact_id = cameras.id);
