/* One item's captions numbered for the metrics that count n-grams (see
 * caption_metric.h). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "metrics/caption_metric.h"

int p2ci_ngram_wide_keys = 0;

unsigned p2ci_item_ngrams_key_bits(const p2ci_caption_set *set)
{
  if (p2ci_ngram_wide_keys) return 32;
  size_t n_words = p2ci_vocab_size(set->vocab);
  unsigned bits = 1;
  while (bits < 32 && (n_words >> bits)) bits++; /* word ids + 1 <= n_words */
  return bits;
}

int p2ci_item_ngrams_init(p2ci_item_ngrams *it, const p2ci_caption_set *set, int keys)
{
  memset(it, 0, sizeof *it);
  return p2ci_ngrams_init(&it->g, p2ci_vocab_size(set->vocab),
                          keys ? p2ci_item_ngrams_key_bits(set) : 0);
}

void p2ci_item_ngrams_release(p2ci_item_ngrams *it)
{
  if (!it) return;
  p2ci_ngrams_release(&it->g);
  free(it->words);
  free(it->len);
  memset(it, 0, sizeof *it);
}

int p2ci_item_ngrams_number(p2ci_item_ngrams *it, const p2ci_caption_set *set, size_t item)
{
  size_t n = p2ci_set_num_refs(set, item) + 1, first = p2ci_set_hyp(set, item);
  if (p2ci_grow(&it->words, &it->words_cap, n, sizeof *it->words) ||
      p2ci_grow(&it->len, &it->len_cap, n, sizeof *it->len))
    return P2C_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    it->len[i] = p2ci_set_words(set, first + i, P2CI_SPLIT_WS, &it->words[i]);
  it->n_captions = n;
  return p2ci_ngrams_number(&it->g, it->words, it->len, n, P2CI_NGRAM_MAX);
}
