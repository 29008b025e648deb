// name: drug_predictions
// answers: A drug's predicted new indications, best score first, with evidence level,
//   recommended decision and how many trials and publications back each one.
// params:
//   drug: the drug's id, name or synonym (case-insensitive)
// example:
//   :param drug => 'Belatacept'
MATCH (d:Drug)
WHERE d.id = $drug OR toLower(d.name) = toLower($drug)
   OR any(s IN coalesce(d.synonyms, []) WHERE toLower(s) = toLower($drug))
MATCH (p:Prediction)-[:OF_DRUG]->(d)
MATCH (p)-[:FOR_DISEASE]->(disease:Disease)
WITH d, p, disease,
     COUNT { (p)-[:SUPPORTED_BY]->(:ClinicalTrial) } AS trials,
     COUNT { (p)-[:SUPPORTED_BY]->(:Publication) } AS publications
RETURN d.name AS drug, disease.name AS disease, disease.id AS disease_id,
       p.score AS score, p.rank AS rank, p.evidence_level AS evidence_level,
       p.decision AS decision, trials, publications
ORDER BY p.score IS NULL, p.score DESC, coalesce(p.rank, 0), p.id
