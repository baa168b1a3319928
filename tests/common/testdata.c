/* Golden JSON and data sets for the tests (see testutil.h). */
#include "io/json.h"
#include "testutil.h"

cJSON *p2ct_json_file(const char *path)
{
  cJSON *root = NULL;
  p2c_error err;
  ck_assert_msg(p2ci_json_load(path, 0, &root, &err) == P2C_OK, "%s", err.message);
  return root;
}

cJSON *p2ct_parity_json(const char *rel)
{
  const char *path = p2ct_parity(rel);
  return path ? p2ct_json_file(path) : NULL;
}

double p2ct_json_num(const cJSON *o, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  ck_assert_msg(cJSON_IsNumber(v), "missing number %s", key);
  return v->valuedouble;
}

p2c_dataset *p2ct_load_dataset(const char *path, int kind, const char *png_dir)
{
  p2c_load_options o = P2C_LOAD_OPTIONS_INIT;
  o.kind = kind;
  o.png_dir = png_dir;
  p2c_dataset *ds = NULL;
  p2c_error err;
  if (p2c_dataset_load(path, &o, &ds, &err) != P2C_OK) ck_abort_msg("loading %s failed: %s", path, err.message);
  return ds;
}
