"""Parts that chapters, pages and briefings put figures together from: charts, tables, map labels, words."""
