/* passerelle-cli run: a command on the server, like `ssh host command`;
 * its output streamed to ours, its exit status returned as ssh does. */

#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pas-cli.h"

/* Our own failures in `run` once the command line is understood (the
 * connection, the login, the channel), as ssh reports its; usage is 2, as
 * for every command. */
#define EXIT_RUN_FAILED 255

static void
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;   /* stdout closed: the command's output has nowhere to go */
      data += n;
      length -= (gsize) n;
    }
}

static void
run_output_cb (int      stream,
               GBytes  *bytes,
               gpointer data)
{
  gsize length;
  const guint8 *bytes_data = g_bytes_get_data (bytes, &length);

  write_all (stream == 1 ? STDOUT_FILENO : STDERR_FILENO, bytes_data, length);
}

static int
signal_number (const char *name)
{
  static const struct { const char *name; int number; } signals[] = {
    { "HUP", 1 }, { "INT", 2 }, { "QUIT", 3 }, { "ILL", 4 }, { "ABRT", 6 }, { "FPE", 8 }, { "KILL", 9 },
    { "USR1", 10 }, { "SEGV", 11 }, { "USR2", 12 }, { "PIPE", 13 }, { "ALRM", 14 }, { "TERM", 15 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    if (strcmp (name, signals[i].name) == 0)
      return signals[i].number;
  return 0;
}

int
pas_cli_run (Cli       *cli,
             GPtrArray *args)
{
  g_autoptr(PasCliTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PasCommandResult) ran = NULL;
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *address = NULL;

  /* The words after the target make the command line, as with ssh. */
  for (guint i = 1; i < args->len; i++)
    g_string_append_printf (command, "%s%s", i > 1 ? " " : "", (const char *) g_ptr_array_index (args, i));
  /* A bare NAME, as ssh takes it, is NAME: here. */
  address = strchr (g_ptr_array_index (args, 0), ':') == NULL ? g_strconcat (g_ptr_array_index (args, 0), ":", NULL)
                                                              : g_strdup (g_ptr_array_index (args, 0));
  target = pas_cli_target_parse (cli, address, &error);
  if (target == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_USAGE;
    }
  if (pas_cli_open_connection (cli, target) != EXIT_OK)
    return EXIT_RUN_FAILED;
  pas_connection_run_command_streaming_async (cli->connection, command->str, run_output_cb, NULL, NULL, NULL,
                                              pas_cli_store_cb, &result);
  ran = pas_connection_run_command_streaming_finish (cli->connection, pas_cli_wait_for (&result), &error);
  if (ran == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_RUN_FAILED;
    }
  if (ran->exit_signal != NULL)
    {
      int number = signal_number (ran->exit_signal);

      g_printerr (_("passerelle-cli: the command was ended by signal %s\n"), ran->exit_signal);
      return number > 0 ? 128 + number : EXIT_RUN_FAILED;
    }
  return ran->exit_status;
}
