#!/usr/bin/python3
"""Write tests/data/porter_nltk.txt.gz: NLTK 3.8 PorterStemmer() (NLTK_EXTENSIONS) stems.

    /usr/bin/python3 tools/gen_porter_golden.py

Words: every lemma of WordNet 3.0's four index files (/usr/share/wordnet), every word of the
four exception lists, a seeded 20% sample of the lemmas with an inflection added, the words
of ../shared/parity/meteor (when present), and hand-picked cases (irregular pool, capitals,
short words, non-ASCII, the literal "*d" suffix). One line per word, sorted by word:
    word                  when the stem is the word itself
    word<TAB>N<TAB>tail   stem = word's UTF-8 bytes minus the last N, plus tail
"""
import gzip, json, os, random
from nltk.stem.porter import PorterStemmer

stem = PorterStemmer().stem
words = set()
for pos in ("noun", "verb", "adj", "adv"):
    for line in open("/usr/share/wordnet/index." + pos):
        if not line.startswith(" "):
            words.add(line.split()[0])
    for line in open("/usr/share/wordnet/%s.exc" % pos):
        words.update(line.split())
rng = random.Random(20251129)
for w in sorted(words):
    if rng.random() < 0.2:
        words.add(w + rng.choice(["s", "es", "ed", "ing", "ly", "ness", "er", "est", "ies",
                                  "ied", "eed", "ation", "alli", "ational", "fulness"]))
for f in ("edge.jsonl", "realistic_1000.jsonl"):
    p = os.path.join("../shared/parity/meteor", f)
    if os.path.exists(p):
        for line in open(p):
            d = json.loads(line)
            for s in [d["hyp"]] + d["refs"]:
                words.update(s.split())
                words.update(w.lower() for w in s.split())
words.update("sky skies dying lying tying news innings inning outings outing cannings canning "
             "howe proceed exceed succeed Skies SKY Dying a I Is it's ies ied tied died "
             "a*ding fa*ding x*ded yyyy syzygy toy y by ay ya éé cafés naïve Über ÜBER "
             "ΟΔΥΣΣΕΥΣ İstanbul straße STRASSE хорошие собаки relational generously "
             "conditional valenci hesitanci digitizer conformabli radicalli differentli "
             "vileli analogousli vietnamization predication operator feudalism decisiveness "
             "hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative "
             "formalize electriciti electrical hopeful goodness revival allowance inference "
             "airliner gyroscopic adjustable defensible irritant replacement adjustment "
             "dependent adoption homologou communism activate angulariti homologous effective "
             "bowdlerize probate rate cease controll roll".split())
words.discard("")
with gzip.GzipFile("tests/data/porter_nltk.txt.gz", "wb", mtime=0) as f:
    for w in sorted(words):
        assert "\t" not in w and "\n" not in w
        wb, sb = w.encode(), stem(w).encode()
        if wb == sb:
            f.write(wb + b"\n")
            continue
        k = 0
        while k < min(len(wb), len(sb)) and wb[k] == sb[k]:
            k += 1
        f.write(wb + b"\t%d\t" % (len(wb) - k) + sb[k:] + b"\n")
print(len(words))
