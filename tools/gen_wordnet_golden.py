#!/usr/bin/python3
"""Write tests/data/wordnet_nltk.txt.gz: NLTK 3.8's answers for a deterministic word sample.

    /usr/bin/python3 tools/gen_wordnet_golden.py   (writes the file)

NLTK's reader insists on a "lexnames" file, which Debian's wordnet-base lacks: the script
builds /tmp/wnroot (links to /usr/share/wordnet plus lexnames, the 45 lexicographer file
names of wndb(5WN)). lexnames changes none of the answers below.

Needs Debian's python3-nltk 3.8 and WordNet 3.0 at /usr/share/wordnet. One line per word:
    word <TAB> morphy-n <TAB> morphy-v <TAB> morphy-a <TAB> morphy-r <TAB> synsets
morphy lists are space-separated forms (empty when none); synsets are "n02084071"-style
pos-file letter + offset, in NLTK's order, duplicates kept. Then lines
    @ n02084071 <TAB> lemma names, space separated
for every synset met. Words: every exception-list form, a seeded sample of index lemmas with
inflections added, and hand-picked cases.
"""
import gzip, random
from nltk.corpus.reader.wordnet import WordNetCorpusReader

import os
ROOT = "/tmp/wnroot"
LEXNAMES = ("adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
            "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food "
            "noun.group noun.location noun.motive noun.object noun.person noun.phenomenon "
            "noun.plant noun.possession noun.process noun.quantity noun.relation noun.shape "
            "noun.state noun.substance noun.time verb.body verb.change verb.cognition "
            "verb.communication verb.competition verb.consumption verb.contact verb.creation "
            "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative "
            "verb.weather adj.ppl").split()
os.makedirs(ROOT, exist_ok=True)
for name in os.listdir("/usr/share/wordnet"):
    if not os.path.lexists(os.path.join(ROOT, name)):
        os.symlink(os.path.join("/usr/share/wordnet", name), os.path.join(ROOT, name))
with open(os.path.join(ROOT, "lexnames"), "w") as f:
    for i, n in enumerate(LEXNAMES):
        f.write("%02d\t%s\t%d\n" % (i, n, {"adj": 3, "adv": 4, "noun": 1, "verb": 2}[n.split(".")[0]]))
wn = WordNetCorpusReader(ROOT, None)
rng = random.Random(20251129)
words = set()
for suffix in ("noun", "verb", "adj", "adv"):
    for line in open("/usr/share/wordnet/%s.exc" % suffix):
        t = line.split()
        if t:
            words.add(t[0])
lemmas = sorted(wn._lemma_pos_offset_map.keys())
for w in rng.sample(lemmas, 3000):
    words.add(w)
    for suf in ("s", "es", "ed", "ing", "er", "est", "ies", "men", "ses", "ves", "d"):
        if rng.random() < 0.25:
            words.add(w + suf)
words.update("dogs dog sofa couch larg automobil children child went go mice mouse geese men "
             "bigger biggest running ran axes ases ses s es ing ed eseses sesses abaci "
             "aardwolves churches Dogs DOGS Running happi happy tri gener generous "
             "hardrock book books better best ate eaten lying dying".split())
words = sorted(words)
pos_file = {"n": "n", "v": "v", "a": "a", "s": "a", "r": "r"}
seen = {}
with gzip.GzipFile("tests/data/wordnet_nltk.txt.gz", "wb", mtime=0) as f:
    for w in words:
        cols = [w]
        for p in "nvar":
            cols.append(" ".join(wn._morphy(w, p)))
        syn = []
        for s in wn.synsets(w):
            key = "%s%08d" % (pos_file[s.pos()], s.offset())
            syn.append(key)
            seen[key] = s
        cols.append(" ".join(syn))
        f.write(("\t".join(cols) + "\n").encode())
    for key in sorted(seen):
        f.write(("@ %s\t%s\n" % (key, " ".join(seen[key].lemma_names()))).encode())
print(len(words), len(seen))
