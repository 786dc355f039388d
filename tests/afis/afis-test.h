/* A minimal harness for the afis tests: each behaviour is one function,
 * run by name; a failed CHECK prints where and fails the test. */
#ifndef AFIS_TEST_H
#define AFIS_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int afis_test_failures;

#define CHECK(cond)                                                                              \
  do                                                                                             \
    {                                                                                            \
      if (!(cond))                                                                               \
        {                                                                                        \
          fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
          afis_test_failures++;                                                                  \
          return;                                                                                \
        }                                                                                        \
    }                                                                                            \
  while (0)

#define RUN(fn)                                                                                  \
  do                                                                                             \
    {                                                                                            \
      int before = afis_test_failures;                                                           \
      fn ();                                                                                     \
      printf ("%s %s\n", afis_test_failures == before ? "ok  " : "FAIL", #fn);                   \
    }                                                                                            \
  while (0)

#endif
