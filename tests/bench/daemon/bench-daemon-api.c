/* bench-daemon-api: latency and throughput of rekamd's API over real
 * sockets, with a small keep-alive HTTP/1.1 load generator.
 *
 *   bench-daemon-api REKAMD [--state-dir DIR] [--path P] [--ids FILE]
 *                    [--connections 32] [--seconds 3] [--runs 5]
 *
 * Starts rekamd (--port 0) on a temp state dir, or on DIR (e.g. one whose
 * store holds 500,000 residents). --path is the request path; a "%s" in
 * it is replaced by the ids of FILE (one per line) in turn, e.g.
 *   --path /v1/residents/%s --ids niks.txt
 * Prints, as medians over the runs:
 *   1. latency of one client through the unix door (p50/p99),
 *   2. requests/s and p99 with N concurrent connections on each door,
 * next to the same measures for GET /v1/nothing (a 404 that stops in the
 * router: the floor of the HTTP stack, measured in the same run). */
#define _GNU_SOURCE
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  const char *socket_path;   /* unix door, or NULL for TCP */
  int         port;
  const char *token;         /* TCP: Authorization bearer */
  const char *path;          /* template with optional %s */
  char      **ids;
  gsize       n_ids;
  double      seconds;       /* run for this long ... */
  gsize       max_requests;  /* ... or this many requests (0 = no cap) */
  gsize       offset;        /* where this client starts in ids */
  /* results */
  GArray     *latencies;     /* double µs */
  gsize       errors;
} Client;

static double
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
connect_door (Client *c)
{
  int fd;
  if (c->socket_path != NULL)
    {
      struct sockaddr_un addr = { .sun_family = AF_UNIX };
      fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      g_strlcpy (addr.sun_path, c->socket_path, sizeof addr.sun_path);
      if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
        {
          close (fd);
          return -1;
        }
    }
  else
    {
      struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (c->port) };
      int one = 1;
      addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
        {
          close (fd);
          return -1;
        }
    }
  return fd;
}

/* Reads one response; returns the status or -1. Keeps leftovers in buf. */
static int
read_response (int fd, GString *buf)
{
  char chunk[65536];
  for (;;)
    {
      char *end = strstr (buf->str, "\r\n\r\n");
      if (end != NULL)
        {
          gsize header_len = (gsize) (end - buf->str) + 4;
          const char *cl = strcasestr (buf->str, "\r\nContent-Length:");
          gsize body = cl != NULL && cl < end ? strtoul (cl + 17, NULL, 10) : 0;
          int status = atoi (buf->str + 9);
          while (buf->len < header_len + body)
            {
              ssize_t n = read (fd, chunk, sizeof chunk);
              if (n <= 0)
                return -1;
              g_string_append_len (buf, chunk, n);
            }
          g_string_erase (buf, 0, (gssize) (header_len + body));
          return status;
        }
      ssize_t n = read (fd, chunk, sizeof chunk - 1);
      if (n <= 0)
        return -1;
      g_string_append_len (buf, chunk, n);
    }
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(GString) buf = g_string_new (NULL);
  double start = now_us ();
  gsize i = 0;
  int fd = connect_door (c);

  if (fd < 0)
    {
      c->errors++;
      return NULL;
    }
  while ((c->max_requests == 0 || i < c->max_requests) &&
         (c->seconds <= 0 || now_us () - start < c->seconds * 1e6))
    {
      g_autofree char *path = NULL;
      g_autofree char *request = NULL;
      double t0;
      int status;

      if (c->n_ids > 0)
        {
          const char *id = c->ids[(c->offset + i) % c->n_ids];
          g_autoptr(GString) p = g_string_new (c->path);
          g_string_replace (p, "%s", id, 1);
          path = g_string_free (g_steal_pointer (&p), FALSE);
        }
      else
        path = g_strdup (c->path);
      request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: rekamd\r\n%s%s%s\r\n", path,
                                 c->token != NULL ? "Authorization: Bearer " : "",
                                 c->token != NULL ? c->token : "",
                                 c->token != NULL ? "\r\n" : "");
      t0 = now_us ();
      if (write (fd, request, strlen (request)) != (ssize_t) strlen (request))
        {
          c->errors++;
          break;
        }
      status = read_response (fd, buf);
      if (status < 0)
        {
          c->errors++;
          break;
        }
      if (status >= 500 || (status >= 400 && status != 404))
        c->errors++;
      double dt = now_us () - t0;
      g_array_append_val (c->latencies, dt);
      i++;
    }
  close (fd);
  return NULL;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_double);
  gsize index = (gsize) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, index);
}

static double
median (double *values, int n)
{
  double copy[64];
  memcpy (copy, values, n * sizeof *values);
  qsort (copy, n, sizeof *copy, (int (*)(const void *, const void *)) compare_double);
  return n % 2 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
}

typedef struct {
  double rps;
  double p50;
  double p99;
  gsize  errors;
} Result;

static Result
run_load (const Client *proto, int connections, double seconds, gsize max_requests)
{
  g_autofree Client *clients = g_new0 (Client, connections);
  g_autofree GThread **threads = g_new0 (GThread *, connections);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Result r = { 0 };
  double t0 = now_us ();
  double elapsed;

  for (int i = 0; i < connections; i++)
    {
      clients[i] = *proto;
      clients[i].seconds = seconds;
      clients[i].max_requests = max_requests;
      clients[i].offset = (gsize) i * 7919;
      clients[i].latencies = g_array_new (FALSE, FALSE, sizeof (double));
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (int i = 0; i < connections; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, clients[i].latencies->data, clients[i].latencies->len);
      r.errors += clients[i].errors;
      g_array_unref (clients[i].latencies);
    }
  elapsed = (now_us () - t0) / 1e6;
  r.rps = all->len / elapsed;
  r.p50 = percentile (all, 0.50);
  r.p99 = percentile (all, 0.99);
  return r;
}

/* A tiny blocking HTTP exchange for setup (account, login). */
static char *
setup_request (const char *socket_path, int port, const char *method, const char *path,
               const char *body)
{
  Client c = { .socket_path = socket_path, .port = port };
  g_autoptr(GString) buf = g_string_new (NULL);
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: rekamd\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                              method, path, strlen (body), body);
  char chunk[4096];
  ssize_t n;
  int fd = connect_door (&c);

  if (fd < 0 || write (fd, request, strlen (request)) < 0)
    return NULL;
  while ((n = read (fd, chunk, sizeof chunk)) > 0)
    g_string_append_len (buf, chunk, n);
  close (fd);
  return g_string_free (g_steal_pointer (&buf), FALSE);
}

int
main (int argc, char **argv)
{
  g_autofree char *state_dir = NULL;
  g_autofree char *path = g_strdup ("/v1/status");
  g_autofree char *ids_file = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *socket_path = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *token = NULL;
  int connections = 32;
  double seconds = 3;
  int runs = 5;
  int out_fd = -1;
  GPid pid;
  g_autoptr(GError) error = NULL;
  int port = 0;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Existing state dir", "DIR" },
    { "path", 0, 0, G_OPTION_ARG_STRING, &path, "Request path (%s = id)", "P" },
    { "ids", 0, 0, G_OPTION_ARG_FILENAME, &ids_file, "Ids for %s, one per line", "FILE" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections, "Concurrent connections", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds per throughput run", "S" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs (median printed)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("REKAMD");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || runs < 1 ||
      runs > 64 || connections < 1 || connections > 1024)
    {
      g_printerr ("usage: bench-daemon-api REKAMD [options] (see --help)\n");
      return 2;
    }
  if (ids_file != NULL)
    {
      g_autofree char *text = NULL;
      if (!g_file_get_contents (ids_file, &text, NULL, &error))
        {
          g_printerr ("bench: %s\n", error->message);
          return 1;
        }
      ids = g_strsplit (g_strstrip (text), "\n", -1);
    }

  tmp = g_dir_make_tmp ("rk-bench-XXXXXX", NULL);
  socket_path = g_build_filename (tmp, "sock", NULL);
  if (state_dir == NULL)
    state_dir = g_build_filename (tmp, "state", NULL);
  {
    const char *child_argv[] = { argv[1], "--config", "", "--state-dir", state_dir, "--socket",
                                 socket_path, "--port", "0", NULL };
    char line[512] = "";
    FILE *out;
    if (!g_spawn_async_with_pipes (NULL, (char **) child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                   NULL, NULL, &pid, NULL, &out_fd, NULL, &error))
      {
        g_printerr ("bench: cannot start rekamd: %s\n", error->message);
        return 1;
      }
    out = fdopen (out_fd, "r");
    if (fgets (line, sizeof line, out) == NULL || sscanf (line, "REKAMD_READY port=%d", &port) != 1)
      {
        g_printerr ("bench: rekamd did not start\n");
        return 1;
      }
  }

  /* A session for the TCP door. */
  {
    g_autofree char *created = setup_request (socket_path, 0, "POST", "/v1/accounts",
      "{\"username\":\"bench\",\"role\":\"operator\",\"pin\":\"246810\"}");
    g_autofree char *login = setup_request (NULL, port, "POST", "/v1/sessions",
      "{\"username\":\"bench\",\"pin\":\"246810\"}");
    const char *t = login != NULL ? strstr (login, "\"token\":\"") : NULL;
    if (t != NULL)
      token = g_strndup (t + 9, strcspn (t + 9, "\""));
    else
      g_printerr ("bench: no session for the TCP door; TCP figures will be 401s\n");
  }

  {
    Client proto = { .path = path, .ids = ids, .n_ids = ids != NULL ? g_strv_length (ids) : 0 };
    Client floor_proto = { .path = "/v1/nothing" };
    double lat50[64], lat99[64], floor50[64], floor99[64];
    double urps[64], up99[64], trps[64], tp99[64], frps[64], fp99[64];
    gsize errors = 0;

    g_print ("rekamd API benchmark: %s, %d run(s); floor = GET /v1/nothing (404 in the router)\n",
             path, runs);
    for (int r = 0; r < runs; r++)
      {
        Result res;
        proto.socket_path = socket_path;
        floor_proto.socket_path = socket_path;
        res = run_load (&proto, 1, 0, 2000);
        lat50[r] = res.p50; lat99[r] = res.p99; errors += res.errors;
        res = run_load (&floor_proto, 1, 0, 2000);
        floor50[r] = res.p50; floor99[r] = res.p99;
        res = run_load (&proto, connections, seconds, 0);
        urps[r] = res.rps; up99[r] = res.p99; errors += res.errors;
        res = run_load (&floor_proto, connections, seconds, 0);
        frps[r] = res.rps; fp99[r] = res.p99;
        proto.socket_path = NULL;
        proto.port = port;
        proto.token = token;
        res = run_load (&proto, connections, seconds, 0);
        trps[r] = res.rps; tp99[r] = res.p99; errors += res.errors;
        proto.token = NULL;
      }
    g_print ("  unix door, 1 client:        p50 %7.0f us  p99 %7.0f us   (floor p50 %.0f us, "
             "p99 %.0f us)\n", median (lat50, runs), median (lat99, runs),
             median (floor50, runs), median (floor99, runs));
    g_print ("  unix door, %2d connections:  %7.0f req/s  p99 %7.0f us   (floor %.0f req/s "
             "p99 %.0f us, ratio %.2f)\n", connections, median (urps, runs), median (up99, runs),
             median (frps, runs), median (fp99, runs), median (urps, runs) / median (frps, runs));
    g_print ("  tcp door,  %2d connections:  %7.0f req/s  p99 %7.0f us   (with session token)\n",
             connections, median (trps, runs), median (tp99, runs));
    g_print ("  targets: p99 < 2000 us (1 client), >= 5000 req/s (32 connections)\n");
    if (errors > 0)
      g_print ("  WARNING: %zu failed requests (4xx other than 404, 5xx, or dropped)\n", errors);
  }

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  return 0;
}
