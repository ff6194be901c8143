"""分级分类监管 and 双随机、一公开 (issue 16): inspectors and their 回避 links, inspection plans,
reproducible draws of subjects by supervision class and of inspectors, their publication, and
the results that become 行政监督检查 records."""
