// name: prediction_evidence
// answers: The clinical trials and publications behind one prediction (a drug for a
//   disease), with what the evaluation report found in each and which report says so.
// params:
//   drug: the drug's id or name (case-insensitive)
//   disease: the disease's id or name (case-insensitive)
// example:
//   :param drug => 'Belatacept'
//   :param disease => 'plasma cell myeloma'
MATCH (d:Drug)<-[:OF_DRUG]-(p:Prediction)-[:FOR_DISEASE]->(disease:Disease)
WHERE (d.id = $drug OR toLower(d.name) = toLower($drug))
  AND (disease.id = $disease OR toLower(disease.name) = toLower($disease))
MATCH (p)-[s:SUPPORTED_BY]->(e)
RETURN d.name AS drug, disease.name AS disease, e.kind AS kind, e.id AS id, e.name AS name,
       e.phase AS phase, e.status AS status, e.year AS year,
       s.key_finding AS key_finding,
       coalesce(s.sources, COLLECT { MATCH (src:TxkgSource)
                                     WHERE s._gen IN [src.gen, src.loading_gen]
                                     RETURN src.name }) AS reports
ORDER BY kind, id
