"""A minimal test runner (Debian's python3 has no pytest): every test_*
function of every test_*.py in the folder given; a test skips by raising
Skip. Prints one line per failure and the totals; appends "N M" to
$P2C_COUNTS."""
import importlib.util
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import util  # noqa: E402


def main(folder):
    passed = failed = skipped = 0
    for name in sorted(os.listdir(folder)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(folder, name))
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except util.Skip as e:
            print("  skip %s: %s" % (name, e))
            skipped += 1
            continue
        except Exception:
            print("FAIL %s (import)\n%s" % (name, traceback.format_exc()))
            failed += 1
            continue
        for fn in sorted(k for k in vars(mod) if k.startswith("test_")):
            try:
                msg = getattr(mod, fn)()
                passed += 1
                if msg:
                    print("  %s.%s: %s" % (name[:-3], fn, msg))
            except util.Skip as e:
                print("  skip %s.%s: %s" % (name[:-3], fn, e))
                skipped += 1
            except Exception:
                print("FAIL %s.%s\n%s" % (name[:-3], fn, traceback.format_exc()))
                failed += 1
    print("python tests: %d passed, %d failed%s" % (passed, failed,
          ", %d skipped" % skipped if skipped else ""))
    counts = os.environ.get("P2C_COUNTS")
    if counts:
        with open(counts, "a") as f:
            f.write("%d %d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)))
