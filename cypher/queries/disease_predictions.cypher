// name: disease_predictions
// answers: The drugs predicted to treat a disease, best score first, with evidence level
//   and recommended decision.
// params:
//   disease: the disease's id, name or synonym (case-insensitive)
// example:
//   :param disease => 'plasma cell myeloma'
MATCH (disease:Disease)
WHERE disease.id = $disease OR toLower(disease.name) = toLower($disease)
   OR any(s IN coalesce(disease.synonyms, []) WHERE toLower(s) = toLower($disease))
MATCH (d:Drug)<-[:OF_DRUG]-(p:Prediction)-[:FOR_DISEASE]->(disease)
RETURN disease.name AS disease, d.name AS drug, d.id AS drug_id, p.score AS score,
       p.rank AS rank, p.evidence_level AS evidence_level, p.decision AS decision
ORDER BY p.score IS NULL, p.score DESC, coalesce(p.rank, 0), p.id
