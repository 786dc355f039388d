/* rekamctl: talk to rekamd over its unix socket.
 *
 *   rekamctl [--socket PATH] [--json] COMMAND [ARGS...]
 *
 * Commands come from the generated table (core + every module). A command
 * name may have several words; the longest match wins. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "rk-ctl-private.h"

#define DEFAULT_SOCKET "/run/rekam/rekamd.sock"

static gsize
count_words (const char *name)
{
  gsize n = 1;

  for (const char *p = name; *p != '\0'; p++)
    if (*p == ' ')
      n++;
  return n;
}

/* Does argv[0..] start with the words of name? */
static gboolean
matches (const char *name, int argc, char **argv)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  int n = (int) g_strv_length (words);

  if (n > argc)
    return FALSE;
  for (int i = 0; i < n; i++)
    if (strcmp (words[i], argv[i]) != 0)
      return FALSE;
  return TRUE;
}

static const RkCtlCommand *
find_command (int argc, char **argv)
{
  const RkCtlCommand *best = NULL;

  for (gsize t = 0; rk_ctl_command_tables[t] != NULL; t++)
    for (const RkCtlCommand *c = rk_ctl_command_tables[t]; c->name != NULL; c++)
      if (matches (c->name, argc, argv) &&
          (best == NULL || count_words (c->name) > count_words (best->name)))
        best = c;
  return best;
}

static void
print_help (void)
{
  g_print ("usage: rekamctl [--socket PATH] [--json] COMMAND [ARGS...]\n\n"
           "Talks to rekamd over its unix socket (default %s, or $REKAM_SOCKET).\n"
           "Tables by default; --json prints the daemon's JSON.\n\nCommands:\n",
           DEFAULT_SOCKET);
  for (gsize t = 0; rk_ctl_command_tables[t] != NULL; t++)
    for (const RkCtlCommand *c = rk_ctl_command_tables[t]; c->name != NULL; c++)
      g_print ("  %-26s %s\n", c->name, c->help);
  g_print ("\n'rekamctl COMMAND --help' explains one command.\n"
           "Exit status: 0 ok, 1 answer is no, 2 usage, 3 refused by rekamd, "
           "4 cannot connect, 5 rekamd failed\n");
}

int
main (int argc, char **argv)
{
  g_autoptr(RkCtl) ctl = NULL;
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const char *socket_path = g_getenv ("REKAM_SOCKET");
  const RkCtlCommand *command;
  gboolean json = FALSE;
  gboolean help = FALSE;
  gsize words;
  int i;

  setlocale (LC_ALL, "");
  if (socket_path == NULL || socket_path[0] == '\0')
    socket_path = DEFAULT_SOCKET;

  /* Global options may come anywhere; "--" ends option parsing so that a
   * value starting with '-' can be passed to a command. */
  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        {
          for (i++; i < argc; i++)
            g_ptr_array_add (rest, argv[i]);
          break;
        }
      if (strcmp (argv[i], "--json") == 0)
        json = TRUE;
      else if (strcmp (argv[i], "--socket") == 0)
        {
          if (i + 1 >= argc)
            {
              g_printerr ("rekamctl: --socket needs a path\n");
              return RK_CTL_EXIT_USAGE;
            }
          socket_path = argv[++i];
        }
      else if (g_str_has_prefix (argv[i], "--socket="))
        socket_path = argv[i] + strlen ("--socket=");
      else if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        help = TRUE;
      else if (strcmp (argv[i], "--version") == 0)
        {
          g_print ("rekamctl %s\n", REKAM_VERSION);
          return RK_CTL_EXIT_OK;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }

  if (rest->len == 0)
    {
      print_help ();
      return help ? RK_CTL_EXIT_OK : RK_CTL_EXIT_USAGE;
    }
  command = find_command ((int) rest->len, (char **) rest->pdata);
  if (command == NULL)
    {
      g_printerr ("rekamctl: unknown command '%s' (see rekamctl --help)\n",
                  (const char *) rest->pdata[0]);
      return RK_CTL_EXIT_USAGE;
    }
  if (help)
    {
      rk_ctl_print_usage (command);
      return RK_CTL_EXIT_OK;
    }

  ctl = rk_ctl_new (socket_path, json);
  ctl->command = command;
  words = count_words (command->name);
  {
    /* argv for run(): the command name, then its arguments. */
    g_autoptr(GPtrArray) args = g_ptr_array_new ();
    g_ptr_array_add (args, (gpointer) command->name);
    for (guint a = (guint) words; a < rest->len; a++)
      g_ptr_array_add (args, rest->pdata[a]);
    g_ptr_array_add (args, NULL);
    return command->run (ctl, (int) args->len - 1, (char **) args->pdata);
  }
}
