/* A libFuzzer-compatible driver for ordinary test runs.
 *
 * Usage: fuzz-target [--runs=N] [CORPUS_DIR_OR_FILE...]
 *
 * Every file given (or found in a given folder) is fed to
 * LLVMFuzzerTestOneInput as it is; then N inputs derived from them with a
 * fixed-seed mutator (bit flips, byte overwrites, truncations, insertions,
 * chunk duplication) are fed too. Under ASan+UBSan this turns each fuzz
 * target into a deterministic regression test; real coverage-guided fuzzing
 * uses the same target built with -DREKAM_FUZZ=ON and clang.
 *
 * Returns 0 when every input was consumed; a crash aborts the process. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT_SIZE (8u * 1024u * 1024u)
#define MAX_SEEDS 4096

typedef struct {
  uint8_t *data; /* owned */
  size_t size;
} Seed;

static Seed seeds[MAX_SEEDS];
static size_t n_seeds;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t
rng_next (void)
{
  /* splitmix64: small, fixed seed, identical on every machine */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static void
add_seed_file (const char *path)
{
  FILE *f;
  uint8_t *buf;
  size_t len;
  struct stat st;

  if (n_seeds >= MAX_SEEDS || stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  if ((size_t) st.st_size > MAX_INPUT_SIZE)
    return;
  f = fopen (path, "rb");
  if (f == NULL)
    return;
  buf = malloc ((size_t) st.st_size + 1);
  if (buf == NULL)
    {
      fclose (f);
      return;
    }
  len = fread (buf, 1, (size_t) st.st_size, f);
  fclose (f);
  seeds[n_seeds].data = buf;
  seeds[n_seeds].size = len;
  n_seeds++;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
add_seed_path (const char *path)
{
  struct stat st;
  DIR *dir;
  struct dirent *entry;
  char **names = NULL;
  size_t n_names = 0;

  if (stat (path, &st) != 0)
    return;
  if (!S_ISDIR (st.st_mode))
    {
      add_seed_file (path);
      return;
    }
  dir = opendir (path);
  if (dir == NULL)
    return;
  /* sorted, so that the mutation stream is the same on every file system */
  while ((entry = readdir (dir)) != NULL)
    {
      char **grown;
      if (entry->d_name[0] == '.')
        continue;
      grown = realloc (names, (n_names + 1) * sizeof *names);
      if (grown == NULL)
        break;
      names = grown;
      names[n_names] = malloc (strlen (path) + strlen (entry->d_name) + 2);
      if (names[n_names] == NULL)
        break;
      sprintf (names[n_names], "%s/%s", path, entry->d_name);
      n_names++;
    }
  closedir (dir);
  qsort (names, n_names, sizeof *names, compare_names);
  for (size_t i = 0; i < n_names; i++)
    {
      add_seed_file (names[i]);
      free (names[i]);
    }
  free (names);
}

static size_t
mutate (uint8_t *buf, size_t size, size_t capacity)
{
  unsigned n_ops = 1 + (unsigned) (rng_next () % 4);
  for (unsigned op = 0; op < n_ops; op++)
    {
      uint64_t r = rng_next ();
      switch (r % 6)
        {
        case 0: /* flip a bit */
          if (size > 0)
            buf[(r >> 8) % size] ^= (uint8_t) (1u << ((r >> 40) % 8));
          break;
        case 1: /* overwrite a byte with an interesting value */
          if (size > 0)
            {
              static const uint8_t interesting[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 0x1c, 0x1d, 0x1e, 0x1f, ':' };
              buf[(r >> 8) % size] = interesting[(r >> 40) % sizeof interesting];
            }
          break;
        case 2: /* truncate */
          if (size > 0)
            size = (size_t) ((r >> 8) % size);
          break;
        case 3: /* insert random bytes */
          {
            size_t n = 1 + (size_t) ((r >> 8) % 16);
            size_t at = size ? (size_t) ((r >> 24) % (size + 1)) : 0;
            if (size + n > capacity)
              break;
            memmove (buf + at + n, buf + at, size - at);
            for (size_t i = 0; i < n; i++)
              buf[at + i] = (uint8_t) rng_next ();
            size += n;
          }
          break;
        case 4: /* duplicate a chunk */
          if (size > 1)
            {
              size_t from = (size_t) ((r >> 8) % size);
              size_t n = 1 + (size_t) ((r >> 32) % (size - from));
              if (size + n > capacity)
                break;
              memmove (buf + from + n, buf + from, size - from);
              size += n;
            }
          break;
        default: /* set a 16- or 32-bit field to an extreme */
          if (size >= 4)
            {
              size_t at = (size_t) ((r >> 8) % (size - 3));
              memset (buf + at, (r >> 40) & 1 ? 0xff : 0x00, (r >> 41) & 1 ? 4 : 2);
            }
          break;
        }
    }
  return size;
}

int
main (int argc, char **argv)
{
  unsigned long runs = 2000;
  uint8_t *scratch;

  for (int i = 1; i < argc; i++)
    {
      if (strncmp (argv[i], "--runs=", 7) == 0)
        runs = strtoul (argv[i] + 7, NULL, 10);
      else if (argv[i][0] == '-')
        continue; /* libFuzzer flags are ignored here */
      else
        add_seed_path (argv[i]);
    }

  /* the empty input and a few tiny ones are always worth a try */
  LLVMFuzzerTestOneInput ((const uint8_t *) "", 0);
  for (unsigned b = 0; b < 256; b++)
    {
      uint8_t one = (uint8_t) b;
      LLVMFuzzerTestOneInput (&one, 1);
    }

  for (size_t i = 0; i < n_seeds; i++)
    LLVMFuzzerTestOneInput (seeds[i].data, seeds[i].size);

  scratch = malloc (MAX_INPUT_SIZE + 4096);
  if (scratch == NULL)
    return 1;
  for (unsigned long run = 0; run < runs; run++)
    {
      size_t size;
      if (n_seeds > 0)
        {
          const Seed *seed = &seeds[rng_next () % n_seeds];
          size = seed->size;
          memcpy (scratch, seed->data, size);
        }
      else
        {
          size = (size_t) (rng_next () % 512);
          for (size_t i = 0; i < size; i++)
            scratch[i] = (uint8_t) rng_next ();
        }
      size = mutate (scratch, size, MAX_INPUT_SIZE + 4096);
      /* copy to an exact-size heap block so ASan sees every overread */
      uint8_t *exact = malloc (size ? size : 1);
      if (exact == NULL)
        break;
      memcpy (exact, scratch, size);
      LLVMFuzzerTestOneInput (exact, size);
      free (exact);
    }
  free (scratch);
  for (size_t i = 0; i < n_seeds; i++)
    free (seeds[i].data);
  printf ("%zu seed inputs and %lu mutated inputs consumed\n", n_seeds, runs);
  return 0;
}
