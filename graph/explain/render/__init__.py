"""Renderings of an explanation: text and Markdown, an HTML page, a Cypher query."""
