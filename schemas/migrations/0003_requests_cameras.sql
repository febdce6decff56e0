-- porchlight store, schema version 3: video requests, per-agency request totals and cameras
-- read from record sources (profiles of kind requests, request-totals and cameras).
-- See docs/data-model.md ("Video requests and cameras").

-- A video request keeps the row it was read from and how its agency was written there.
-- Its area is a WGS84 WKT polygon (a centre and radius become a 64-sided polygon; radius_m
-- keeps the radius as given); requested_at is 'YYYY-MM-DD' or a UTC time
-- 'YYYY-MM-DDTHH:MM:SSZ'.
ALTER TABLE video_requests ADD COLUMN source_id INTEGER REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE video_requests ADD COLUMN record_id INTEGER REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE video_requests ADD COLUMN agency_raw TEXT;      -- the agency as the source wrote it
ALTER TABLE video_requests ADD COLUMN address TEXT;         -- an address or area as written
                                                            -- (personal data: not exported by default)
ALTER TABLE video_requests ADD COLUMN requested_raw TEXT;   -- the date as written
CREATE INDEX video_requests_agency ON video_requests(agency_id, requested_at);
CREATE INDEX video_requests_source ON video_requests(source_id);

-- A total is an observation: "agency A had N video requests as of D", read from one row.
ALTER TABLE request_totals ADD COLUMN source_id INTEGER REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE request_totals ADD COLUMN record_id INTEGER REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE request_totals ADD COLUMN raw TEXT;             -- the total as written
CREATE INDEX request_totals_agency ON request_totals(agency_id, as_of);

-- A camera keeps its source and row (its evidence: one row, one camera, so no evidence row
-- is written per camera). direction is degrees clockwise from north of the middle of the
-- view; field_of_view the width in degrees (from a range "90-180" or a given angle).
ALTER TABLE cameras ADD COLUMN source_id INTEGER REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE cameras ADD COLUMN record_id INTEGER REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE cameras ADD COLUMN surveillance_type TEXT;     -- OSM surveillance:type (camera, ALPR ...)
ALTER TABLE cameras ADD COLUMN zone TEXT;                  -- OSM surveillance (public, outdoor, indoor)
ALTER TABLE cameras ADD COLUMN direction_raw TEXT;         -- the direction as written
ALTER TABLE cameras ADD COLUMN ref TEXT;                   -- the source's own id (OSM node id ...)
ALTER TABLE cameras ADD COLUMN angle REAL;                 -- OSM camera:angle: tilt below the
                                                           -- horizon in degrees
CREATE INDEX cameras_lat_lon ON cameras(lat, lon);
CREATE INDEX cameras_source ON cameras(source_id);

-- A camera read from a record source is evidenced by its row (cameras.record_id); only a
-- camera without one needs an evidence row: facts_without_evidence says so from schema 4 on
-- (0004 redefines the view once for cameras and findings).
