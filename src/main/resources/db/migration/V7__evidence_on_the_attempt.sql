-- An attempt's evidence is stored on its own row, as one JSON array of {event, at, detail}, in the
-- same UPDATE that stores its result. A row per event (attempt_evidence) made about ten inserts
-- and foreign-key checks per call and a table ten times the size of attempt (JFR put those inserts
-- at about 12% of the engine's store-thread samples, bench/RESULTS.md run 9).
-- attempt_evidence is kept and read for attempts stored before this version; it is no longer
-- written.
ALTER TABLE attempt ADD COLUMN evidence VARCHAR(1000000);
