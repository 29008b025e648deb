// name: mechanism_paths
// answers: Mechanism paths of up to 3 edges between a drug and a disease, through
//   biology only (no predictions, trials or publications), shortest first. Return the
//   `path` column in Browser to see them drawn. `txkg explain` ranks such paths (DWPC).
// params:
//   drug: the drug's id or name (case-insensitive)
//   disease: the disease's id or name (case-insensitive)
// example:
//   :param drug => 'Belatacept'
//   :param disease => 'plasma cell myeloma'
MATCH (d:Drug), (disease:Disease)
WHERE (d.id = $drug OR toLower(d.name) = toLower($drug))
  AND (disease.id = $disease OR toLower(disease.name) = toLower($disease))
MATCH path = (d)-[*1..3]-(disease)
WHERE none(n IN nodes(path) WHERE n:Prediction OR n:ClinicalTrial OR n:Publication)
  AND none(r IN relationships(path)
           WHERE type(r) IN ['OF_DRUG', 'FOR_DISEASE', 'SUPPORTED_BY', 'MENTIONS'])
  AND all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
RETURN length(path) AS hops,
       [n IN nodes(path) | n.name] AS names,
       [r IN relationships(path) | type(r)] AS types,
       path
ORDER BY hops, names, types
LIMIT 100
