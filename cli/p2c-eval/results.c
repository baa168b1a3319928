/* What an evaluation produces: the result table on stdout, the JSON reports
 * and the mergeable state (shared by the main evaluation and merge). */
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "commands.h"

static void pct(double v)
{
  if (isnan(v))
    printf("  %6s", "-");
  else
    printf("  %6.2f", 100.0 * v);
}

void p2c_eval_print_table(const p2c_eval_summary *S)
{
  const int official = S->protocol == P2C_PROTOCOL_PIX2CAP_OFFICIAL;
  printf("protocol: %s\n\n", p2c_protocol_name(S->protocol));
  printf("%-10s|  %6s  %6s  %6s  %5s\n", "", "PQ", "SQ", "RQ", "N");
  printf("----------+------------------------------\n");
  printf("%-10s|", "All");
  pct(S->pq), pct(S->sq), pct(S->rq);
  printf("  %5zu\n", S->n_classes);
  if (!official) {
    printf("%-10s|", "Things");
    pct(S->pq_things), pct(S->sq_things), pct(S->rq_things);
    printf("  %5zu\n", S->n_things);
    printf("%-10s|", "Stuff");
    pct(S->pq_stuff), pct(S->sq_stuff), pct(S->rq_stuff);
    printf("  %5zu\n", S->n_stuff);
  }
  printf("\ncaptions on %zu matched pairs (TP %llu, FP %llu, FN %llu)\n", S->caption_pairs,
         (unsigned long long)S->tp, (unsigned long long)S->fp, (unsigned long long)S->fn);
  printf("%-10s|  %6s  %6s  %6s  %6s  %6s\n", "", "BLEU-4", "METEOR", "ROUGE", "CIDEr", "SPICE");
  printf("----------+------------------------------------------\n");
  if (!official) {
    printf("%-10s|", "mean");
    pct(S->bleu4), pct(S->meteor), pct(S->rouge_l), pct(S->cider_d), pct(S->spice);
    printf("\n");
  }
  printf("%-10s|", "scaled");
  pct(S->bleu4_scaled), pct(S->meteor_scaled), pct(S->rouge_l_scaled), pct(S->cider_d_scaled),
      pct(S->spice_scaled);
  printf("\n\ndense captioning (%llu %s, %llu GT)\n", (unsigned long long)S->map_entries,
         official ? "records" : "predictions", (unsigned long long)S->map_npos);
  printf("%-10s|", "mAP");
  pct(S->map);
  printf("\n%-10s|", "det mAP");
  pct(S->detmap);
  printf("\n");
}

int p2c_eval_report(const p2c_evaluator *ev, const char *json_out, const char *seg_out)
{
  int rc, code = P2C_EXIT_OK;
  p2c_eval_summary S;
  p2c_evaluator_summary(ev, &S);
  p2c_eval_print_table(&S);
  const char *w = p2c_evaluator_warning(ev);
  if (*w) fprintf(stderr, "%s: warning: %s\n", p2c_cli_prog, w);
  if (json_out && (rc = p2c_evaluator_write_json(ev, json_out)) != P2C_OK) {
    p2c_cli_errorf("%s: cannot write: %s", json_out, p2c_strerror(rc));
    code = p2c_cli_exit_code(rc);
  }
  if (seg_out && (rc = p2c_evaluator_write_segments(ev, seg_out)) != P2C_OK) {
    p2c_cli_errorf("%s: cannot write: %s", seg_out, p2c_strerror(rc));
    code = p2c_cli_exit_code(rc);
  }
  return code;
}

int p2c_eval_write_state(p2c_evaluator *ev, const char *path, size_t *len)
{
  const unsigned char *st = NULL;
  int rc = p2c_evaluator_state(ev, &st, len);
  if (rc != P2C_OK) {
    p2c_cli_errorf("%s", p2c_evaluator_last_error(ev));
    return p2c_cli_exit_code(rc);
  }
  return p2c_cli_write_file(path, (const char *)st, *len) ? P2C_EXIT_INVALID : P2C_EXIT_OK;
}
