// name: open_data_gaps
// answers: The data gaps evaluation reports list for predictions (what is still missing
//   before a decision), one row per gap; for one drug, or for all when drug is null.
// params:
//   drug: the drug's id or name (case-insensitive), or null for every drug
// example:
//   :param drug => null
MATCH (d:Drug)<-[:OF_DRUG]-(p:Prediction)-[:FOR_DISEASE]->(disease:Disease)
WHERE ($drug IS NULL OR d.id = $drug OR toLower(d.name) = toLower($drug))
  AND size(coalesce(p.data_gaps, [])) > 0
UNWIND p.data_gaps AS gap
RETURN d.name AS drug, disease.name AS disease, p.evidence_level AS evidence_level,
       p.decision AS decision, gap
ORDER BY drug, disease, gap
