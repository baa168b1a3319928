/* The official mAP's METEOR: nltk.translate.meteor_score with the GT caption
 * (split on whitespace) as hypothesis and, as references, the characters of
 * the predicted caption (a string iterated letter by letter), or the elements
 * of a list-valued caption. */
#include "core/internal.h"
#include "protocol/evaluator.h"

int p2ci_official_record_meteor(p2c_evaluator *ev, const ev_record *r, double *out)
{
  (void)r;
  *out = 0.0;
  return p2ci_error(&ev->err, P2C_ERR_UNSUPPORTED,
                    "the NLTK METEOR of the official mAP is not built in yet");
}
