#!/usr/bin/python3
"""Write tests/data/meteor_nltk_random.txt.gz: NLTK 3.8 meteor_score on 3,000 random pairs.

    /usr/bin/python3 tools/gen_meteor_nltk_random.py

Captions of 1-30 words drawn (random.Random(20251129)) from a small caption vocabulary with
plurals, inflections, synonyms, capitals and a few non-ASCII words, so words repeat often
and the greedy from-the-end alignment, the stem stage and the WordNet stage all matter;
1-4 references per pair. One line per pair: float.hex(score) TAB hyp TAB refs joined by TAB.
Uses the same /tmp/wnroot WordNet folder as gen_wordnet_golden.py (run that first).
"""
import gzip, random
from nltk.corpus.reader.wordnet import WordNetCorpusReader
from nltk.translate.meteor_score import meteor_score

wn = WordNetCorpusReader("/tmp/wnroot", None)
rng = random.Random(20251129)
vocab = ("a a a the the an of on in with and is are two dog dogs Dog puppy cat cats kitten "
         "man men woman women person people child children boy boys sofa couch couches "
         "car cars automobile auto big large small little red RED blue running runs ran run "
         "walking walked walks sitting sits sat lying lies lie photo picture image bigger "
         "biggest happy happily mouse mice goose geese went go goes going café Ünïcode ΟΔΟΣ "
         "street road field grass grassy tree trees generous generously").split()
with gzip.GzipFile("tests/data/meteor_nltk_random.txt.gz", "wb", mtime=0) as f:
    for _ in range(3000):
        hyp = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 30)))
        refs = [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 30)))
                for _ in range(rng.randint(1, 4))]
        s = meteor_score([r.split() for r in refs], hyp.split(), wordnet=wn)
        f.write(("\t".join([s.hex(), hyp] + refs) + "\n").encode())
