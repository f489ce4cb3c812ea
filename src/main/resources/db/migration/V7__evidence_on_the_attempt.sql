-- An attempt's evidence is stored on its own row, as one JSON array of {event, at, detail}, in the
-- same UPDATE that stores its result. A row per event (attempt_evidence) cost about ten inserts and
-- foreign-key checks per call: on the embedded database about 40% of the CPU the engine spends
-- storing a call (bench/RESULTS.md, run 9). attempt_evidence is kept, read for attempts stored
-- before this version (V7), and no longer written.
ALTER TABLE attempt ADD COLUMN evidence VARCHAR(1000000);
