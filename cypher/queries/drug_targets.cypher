// name: drug_targets
// answers: The genes a drug targets, with the sources and PMIDs behind each statement.
// params:
//   drug: the drug's id, name or synonym (case-insensitive)
// example:
//   :param drug => 'Belatacept'
MATCH (d:Drug)
WHERE d.id = $drug OR toLower(d.name) = toLower($drug)
   OR any(s IN coalesce(d.synonyms, []) WHERE toLower(s) = toLower($drug))
MATCH (d)-[t:TARGETS]->(g:Gene)
RETURN d.name AS drug, g.name AS gene, g.symbol AS symbol, g.id AS gene_id,
       coalesce(t.sources, COLLECT { MATCH (src:TxkgSource)
                                     WHERE t._gen IN [src.gen, src.loading_gen]
                                     RETURN src.name }) AS sources,
       coalesce(t.pmids, []) AS pmids
ORDER BY gene, gene_id
