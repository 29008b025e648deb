// name: predictions_by_level
// answers: Predictions at an evidence level (L1 strongest … L5 model only) with a
//   recommended decision; null for either means any. Best score first.
// params:
//   evidence_level: L1, L2, L3, L4, L5, or null for any
//   decision: e.g. Hold, Proceed with Guardrails, Research Question, or null for any
// example:
//   :param evidence_level => 'L3'
//   :param decision => null
MATCH (d:Drug)<-[:OF_DRUG]-(p:Prediction)-[:FOR_DISEASE]->(disease:Disease)
WHERE ($evidence_level IS NULL OR p.evidence_level = $evidence_level)
  AND ($decision IS NULL OR p.decision = $decision)
RETURN p.evidence_level AS evidence_level, p.decision AS decision, d.name AS drug,
       disease.name AS disease, p.score AS score, p.id AS prediction_id
ORDER BY evidence_level, decision, p.score IS NULL, p.score DESC, p.id
