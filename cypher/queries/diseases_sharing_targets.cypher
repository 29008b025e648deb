// name: diseases_sharing_targets
// answers: Other diseases associated with the same genes as a disease (shared potential
//   drug targets), most shared genes first.
// params:
//   disease: the disease's id or name (case-insensitive)
// example:
//   :param disease => 'plasma cell myeloma'
MATCH (disease:Disease)
WHERE disease.id = $disease OR toLower(disease.name) = toLower($disease)
MATCH (disease)-[:ASSOCIATED_WITH]-(g:Gene)-[:ASSOCIATED_WITH]-(other:Disease)
WHERE other <> disease
WITH disease, other, g ORDER BY g.name
WITH disease, other, collect(DISTINCT g.name) AS genes
RETURN disease.name AS disease, other.name AS other_disease, other.id AS other_id,
       size(genes) AS shared, genes AS shared_genes
ORDER BY shared DESC, other_disease
