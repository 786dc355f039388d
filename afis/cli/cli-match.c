/* rekam-afis match and score: 1:1 comparison of records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-common.h"
#include "rekam-afis-cli.h"

int
afis_cli_match (int argc, char **argv)
{
  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("Usage: rekam-afis match A.fmr B.fmr\n\n"
              "Prints the similarity score (0-%d, higher is more similar) of the first\n"
              "views of two ISO/IEC 19794-2 records. Thresholds: FMR 1/1,000 at %d,\n"
              "1/10,000 at %d, 1/100,000 at %d (see docs/afis.md).\n",
              AFIS_SCORE_MAX, AFIS_THRESHOLD_FMR_1000, AFIS_THRESHOLD_FMR_10000,
              AFIS_THRESHOLD_FMR_100000);
      return 0;
    }
  if (argc != 3)
    {
      fprintf (stderr, "Usage: rekam-afis match A.fmr B.fmr\n");
      return 2;
    }
  AfisSearchTemplate a, b;
  char reason[512];
  if (afis_cli_load_search (argv[1], 0, &a, reason, sizeof reason) < 0)
    {
      fprintf (stderr, "%s: %s\n", argv[1], reason);
      return 1;
    }
  if (afis_cli_load_search (argv[2], 0, &b, reason, sizeof reason) < 0)
    {
      fprintf (stderr, "%s: %s\n", argv[2], reason);
      return 1;
    }
  int score;
  if (afis_finger_match (&a, &b, &score) != AFIS_OK)
    {
      fprintf (stderr, "rekam-afis match: cannot compare\n");
      return 1;
    }
  printf ("%d\n", score);
  return 0;
}

int
afis_cli_score (int argc, char **argv)
{
  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("Usage: rekam-afis score < PAIRS\n\n"
              "Reads lines 'A.fmr<TAB>B.fmr' from standard input and prints one score\n"
              "per line in the same order (-1 when a record cannot be used; the\n"
              "reason goes to stderr).\n");
      return 0;
    }
  if (argc != 1)
    {
      fprintf (stderr, "Usage: rekam-afis score < PAIRS\n");
      return 2;
    }
  char line[8192];
  int status = 0;
  unsigned long number = 0;
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      number++;
      line[strcspn (line, "\r\n")] = '\0';
      char *tab = strchr (line, '\t');
      if (tab == NULL)
        {
          fprintf (stderr, "line %lu: expected two paths separated by a tab\n", number);
          printf ("-1\n");
          status = 1;
          continue;
        }
      *tab = '\0';
      AfisSearchTemplate a, b;
      char reason[512];
      int score;
      if (afis_cli_load_search (line, 0, &a, reason, sizeof reason) < 0)
        {
          fprintf (stderr, "line %lu: %s: %s\n", number, line, reason);
          printf ("-1\n");
          status = 1;
          continue;
        }
      if (afis_cli_load_search (tab + 1, 0, &b, reason, sizeof reason) < 0)
        {
          fprintf (stderr, "line %lu: %s: %s\n", number, tab + 1, reason);
          printf ("-1\n");
          status = 1;
          continue;
        }
      if (afis_finger_match (&a, &b, &score) != AFIS_OK)
        score = -1;
      printf ("%d\n", score);
    }
  return status;
}
