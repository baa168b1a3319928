"""The compact Pix2Cap reference model (about 2M parameters, 64x64 RGB input).

Every operation here has a C counterpart in lib/refmodel/ that follows the same
order; docs in reference-model/README.md. Keep the two in step.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

D = 128          # transformer width
HEADS = 4
FFN = 512
LAYERS = 3
QUERIES = 16
EMB = 32         # per-pixel / mask embedding
HID = 256        # caption GRU
WORD = 128


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))

    def forward(self, x, mem, block=None):
        # x: B,Q,D; mem: B,T,D; block: B,Q,T bool (True = may not attend)
        B, Q, _ = x.shape
        T = mem.shape[1]
        dh = D // HEADS
        q = self.q(x).view(B, Q, HEADS, dh).transpose(1, 2)
        k = self.k(mem).view(B, T, HEADS, dh).transpose(1, 2)
        v = self.v(mem).view(B, T, HEADS, dh).transpose(1, 2)
        a = (q @ k.transpose(-1, -2)) / math.sqrt(dh)
        if block is not None:
            a = a.masked_fill(block[:, None], float("-inf"))
        a = a.softmax(-1)
        return self.o((a @ v).transpose(1, 2).reshape(B, Q, D))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.cross, self.self_ = Attention(), Attention()
        self.n1, self.n2, self.n3 = nn.LayerNorm(D), nn.LayerNorm(D), nn.LayerNorm(D)
        self.f1, self.f2 = nn.Linear(D, FFN), nn.Linear(FFN, D)

    def forward(self, q, mem, block):
        q = self.n1(q + self.cross(q, mem, block))
        q = self.n2(q + self.self_(q, q))
        return self.n3(q + self.f2(F.relu(self.f1(q))))


class RefModel(nn.Module):
    def __init__(self, num_classes, vocab_size):
        super().__init__()
        self.num_classes = num_classes
        self.c1 = nn.Conv2d(3, 32, 3, 1, 1)
        self.c2 = nn.Conv2d(32, 64, 3, 2, 1)
        self.c3 = nn.Conv2d(64, 128, 3, 2, 1)
        self.c4 = nn.Conv2d(128, 128, 3, 1, 1)
        self.mem_proj = nn.Linear(128, D)
        self.pos = nn.Parameter(torch.randn(256, D) * 0.02)
        # the decoder's 32x32 memory: the 16x16 memory upsampled plus a
        # projection of the 32x32 features (zero at initialisation, so that a
        # 16x16-memory model's weights start out computing the same thing)
        self.mem32 = nn.Linear(64, D)
        self.pos32 = nn.Parameter(torch.zeros(1024, D))
        nn.init.zeros_(self.mem32.weight)
        nn.init.zeros_(self.mem32.bias)
        self.l16 = nn.Conv2d(128, 64, 1)
        self.l32 = nn.Conv2d(64, 64, 1)
        self.s32 = nn.Conv2d(64, 32, 3, 1, 1)
        self.o32 = nn.Conv2d(32, EMB, 1)
        self.l64 = nn.Conv2d(32, EMB, 1)
        self.s64 = nn.Conv2d(EMB, EMB, 3, 1, 1)   # residual 3x3 at 64x64, for small things' edges
        with torch.no_grad():
            self.s64.weight.mul_(0.1)
            self.s64.bias.zero_()
        self.e64 = nn.Conv2d(EMB, EMB, 1)
        self.query = nn.Parameter(torch.randn(QUERIES, D) * 0.1)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.dec_norm = nn.LayerNorm(D)
        self.cls = nn.Linear(D, num_classes + 1)
        self.m1, self.m2, self.m3 = nn.Linear(D, D), nn.Linear(D, D), nn.Linear(D, EMB)
        # caption head
        self.word = nn.Embedding(vocab_size, WORD)
        self.h0 = nn.Linear(2 * D, HID)
        self.gru = nn.GRU(WORD + D, HID, batch_first=True)
        self.att = nn.Linear(HID, D)
        self.comb = nn.Linear(HID + D, HID)
        self.out = nn.Linear(HID, vocab_size)

    # ---- segmentation -----------------------------------------------------
    def encode(self, img):
        x = (img.to(self.c1.weight.dtype) / 255.0 - 0.5) / 0.25
        c1 = F.relu(self.c1(x))
        c2 = F.relu(self.c2(c1))
        c3 = F.relu(self.c3(c2))
        c4 = F.relu(self.c4(c3))
        B = img.shape[0]
        mem = self.mem_proj(c4.flatten(2).transpose(1, 2)) + self.pos      # B,256,D
        f16 = self.l16(c4)
        f32a = F.relu(self.l32(c2) + F.interpolate(f16, scale_factor=2.0, mode="nearest"))
        up = F.interpolate(mem.transpose(1, 2).reshape(B, D, 16, 16), scale_factor=2.0, mode="nearest")
        mem32 = up.flatten(2).transpose(1, 2) + self.mem32(f32a.flatten(2).transpose(1, 2)) + self.pos32
        f32 = F.relu(self.s32(f32a))
        f64 = F.relu(self.l64(c1) + F.interpolate(self.o32(f32), scale_factor=2.0, mode="nearest"))
        f64 = f64 + F.relu(self.s64(f64))
        emb = self.e64(f64)                       # B,EMB,64,64
        return mem, mem32, emb

    def heads(self, q):
        qn = self.dec_norm(q)
        logits = self.cls(qn)
        e = self.m3(F.relu(self.m2(F.relu(self.m1(qn)))))
        return qn, logits, e

    def segment(self, img):
        """Per layer (class logits, mask embeddings); the per-pixel embedding
        (B,EMB,64,64), the final query tokens and the memory. Mask logits are
        <mask embedding, pixel embedding> (masks())."""
        mem, mem32, emb = self.encode(img)
        # the attention masks need the logits' 2x2 averages: the same as the
        # logits of 2x2-averaged embeddings (linear), at 1/4 of the cost
        emb32 = F.avg_pool2d(emb, 2).flatten(2)                       # B,EMB,1024
        B = img.shape[0]
        q = self.query.expand(B, -1, -1)
        outs = []
        for layer in self.layers:
            qn, logits, e = self.heads(q)
            outs.append((logits, e))
            # Mask2Former's masked attention at the memory's 32x32 resolution
            block = (e @ emb32 < 0.0).detach()
            block[block.all(-1)] = False
            q = layer(q, mem32, block)
        qn, logits, e = self.heads(q)
        outs.append((logits, e))
        return outs, emb, qn, mem

    @staticmethod
    def masks(e, emb):
        return torch.einsum("bqc,bchw->bqhw", e, emb)

    # ---- captions ---------------------------------------------------------
    def caption_context(self, qn, mem):
        """Initial GRU state and the attention keys for every query."""
        g = mem.mean(1)                                              # B,D
        h0 = torch.tanh(self.h0(torch.cat([qn, g[:, None].expand_as(qn)], -1)))
        keys = torch.cat([qn, mem], 1)                               # B,Q+256,D
        return h0, keys

    def caption_logits(self, qsel, h0, keys, tokens):
        """Teacher forcing. qsel,h0: N,D / N,HID; keys: N,T,D; tokens: N,L (input words)."""
        x = torch.cat([self.word(tokens), qsel[:, None].expand(-1, tokens.shape[1], -1)], -1)
        h, _ = self.gru(x, h0[None].contiguous())
        a = (self.att(h) @ keys.transpose(1, 2)) / math.sqrt(D)
        ctx = a.softmax(-1) @ keys
        o = torch.tanh(self.comb(torch.cat([h, ctx], -1)))
        return self.out(o)

    @torch.no_grad()
    def greedy(self, qsel, h0, keys, max_len, bos, eos):
        N = qsel.shape[0]
        tok = torch.full((N, 1), bos, dtype=torch.long)
        h = h0[None].contiguous()
        out = torch.zeros(N, max_len, dtype=torch.long)
        done = torch.zeros(N, dtype=torch.bool)
        for t in range(max_len):
            x = torch.cat([self.word(tok), qsel[:, None]], -1)
            y, h = self.gru(x, h)
            a = (self.att(y) @ keys.transpose(1, 2)) / math.sqrt(D)
            ctx = a.softmax(-1) @ keys
            o = torch.tanh(self.comb(torch.cat([y, ctx], -1)))
            nxt = self.out(o)[:, 0].argmax(-1)
            nxt[done] = eos
            out[:, t] = nxt
            done |= nxt == eos
            tok = nxt[:, None]
            if done.all():
                break
        return out


def panoptic(logits, masks, stuff, thresh=0.5, overlap=0.8):
    """Mask2Former's panoptic inference for one image: segments as (query, class, score, pixel mask).

    logits: Q,C+1; masks: Q,H,W. Segments are listed in query order; stuff
    of one class merges into its first query's segment.
    """
    score, label = logits.softmax(-1).max(-1)
    keep = (label != logits.shape[-1] - 1) & (score > thresh)
    mp = masks.sigmoid()
    H, W = masks.shape[-2:]
    if not keep.any():
        return []
    kq = keep.nonzero()[:, 0]
    cur = score[kq, None, None] * mp[kq]
    owner = cur.argmax(0)                        # first maximum, as in C
    segs, stuff_seg = [], {}
    for j, qi in enumerate(kq.tolist()):
        c = int(label[qi])
        area = int((owner == j).sum())
        orig = int((mp[qi] >= 0.5).sum())
        region = (owner == j) & (mp[qi] >= 0.5)
        if area == 0 or orig == 0 or int(region.sum()) == 0 or area / orig < overlap:
            continue
        if stuff[c] and c in stuff_seg:
            segs[stuff_seg[c]][3] |= region
            continue
        if stuff[c]:
            stuff_seg[c] = len(segs)
        segs.append([qi, c, float(score[qi]), region])
    return segs
