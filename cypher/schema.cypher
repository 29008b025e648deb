// txkg's Neo4j schema: applied idempotently (IF NOT EXISTS) by Neo4jStore on open.
//
// Every txkg node has the label :Node plus its kind's label (:Drug, :Gene, ...). `id` is
// unique across all kinds (node_id) and within each kind (one constraint per label, so
// `MATCH (d:Drug {id: $id})` is an index seek too). Lookups by name, synonym, xref or bare
// local id go through `_keys` (case-folded strings) and the full-text index node_keys with
// the `keyword` analyzer (whole-string, exact matches: range indexes do not index list
// elements). Bookkeeping nodes (:TxkgSource, :TxkgLedgerEntry) stay outside :Node.
// Statements are separated by ';'. Neo4j 5 syntax.

CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;

CREATE CONSTRAINT drug_id IF NOT EXISTS FOR (n:Drug) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT gene_id IF NOT EXISTS FOR (n:Gene) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT disease_id IF NOT EXISTS FOR (n:Disease) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT pathway_id IF NOT EXISTS FOR (n:Pathway) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT biological_process_id IF NOT EXISTS FOR (n:BiologicalProcess) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT molecular_function_id IF NOT EXISTS FOR (n:MolecularFunction) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT cellular_component_id IF NOT EXISTS FOR (n:CellularComponent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT phenotype_id IF NOT EXISTS FOR (n:Phenotype) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT anatomy_id IF NOT EXISTS FOR (n:Anatomy) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT exposure_id IF NOT EXISTS FOR (n:Exposure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT chemical_substance_id IF NOT EXISTS FOR (n:ChemicalSubstance) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT cell_id IF NOT EXISTS FOR (n:Cell) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organism_taxon_id IF NOT EXISTS FOR (n:OrganismTaxon) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT gene_family_id IF NOT EXISTS FOR (n:GeneFamily) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT macromolecular_complex_id IF NOT EXISTS FOR (n:MacromolecularComplex) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT pharmacologic_class_id IF NOT EXISTS FOR (n:PharmacologicClass) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT clinical_trial_id IF NOT EXISTS FOR (n:ClinicalTrial) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT publication_id IF NOT EXISTS FOR (n:Publication) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT prediction_id IF NOT EXISTS FOR (n:Prediction) REQUIRE n.id IS UNIQUE;

CREATE INDEX node_name IF NOT EXISTS FOR (n:Node) ON (n.name);
CREATE INDEX node_kind IF NOT EXISTS FOR (n:Node) ON (n.kind);
CREATE FULLTEXT INDEX node_keys IF NOT EXISTS FOR (n:Node) ON EACH [n._keys]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};

CREATE INDEX prediction_level_decision IF NOT EXISTS FOR (p:Prediction) ON (p.evidence_level, p.decision);

CREATE CONSTRAINT txkg_source_name IF NOT EXISTS FOR (s:TxkgSource) REQUIRE s.name IS UNIQUE;
// One generation counter and one writer lock (graph/store/neo4j_lock.py): never two.
CREATE CONSTRAINT txkg_meta_name IF NOT EXISTS FOR (m:TxkgMeta) REQUIRE m.name IS UNIQUE;
CREATE INDEX txkg_ledger_source IF NOT EXISTS FOR (e:TxkgLedgerEntry) ON (e.source);
