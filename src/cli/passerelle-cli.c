#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pas-cli.h"
#include "pas-terminal-interaction.h"

/* ---- running the engine's async calls one after another ------------------- */

void
pas_cli_store_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

GAsyncResult *
pas_cli_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

void
pas_cli_print_error (const GError *error)
{
  const char *remedy = pas_error_get_remedy (error);

  g_printerr ("passerelle-cli: %s\n", error->message);
  if (remedy != NULL)
    g_printerr ("  %s\n", remedy);
}

static int
connect_exit_status (const GError *error)
{
  if (error->domain != PAS_ERROR)
    return EXIT_CONNECTION;
  switch (error->code)
    {
    case PAS_ERROR_HOST_KEY_UNKNOWN:
    case PAS_ERROR_HOST_KEY_CHANGED:
    case PAS_ERROR_HOST_KEY_REVOKED:
    case PAS_ERROR_INVALID_HOST_KEY:
      return EXIT_HOST_KEY;
    case PAS_ERROR_AUTH_FAILED:
    case PAS_ERROR_TOO_MANY_AUTH_FAILURES:
    case PAS_ERROR_WRONG_PASSPHRASE:
    case PAS_ERROR_UNSUPPORTED_KEY:
    case PAS_ERROR_PERMISSION_DENIED:
      return EXIT_AUTH;
    default:
      return EXIT_CONNECTION;
    }
}

int
pas_cli_open_connection (Cli                *cli,
                         const PasCliTarget *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  cli->interaction = pas_terminal_interaction_new (cli->batch, cli->accept_new);
  /* Everything else (keys, known_hosts, jump hosts…) the resolver settled. */
  cli->connection = pas_connection_new_for_destination (target->destination);
  pas_connection_set_interaction (cli->connection, cli->interaction);
  if (cli->sftp_server == NULL)
    cli->sftp_server = g_strdup (pas_destination_get_sftp_server (target->destination));

  pas_connection_connect_async (cli->connection, NULL, pas_cli_store_cb, &result);
  if (!pas_connection_connect_finish (cli->connection, pas_cli_wait_for (&result), &error))
    {
      pas_cli_print_error (error);
      return connect_exit_status (error);
    }
  return EXIT_OK;
}

static int
open_session (Cli                *cli,
              const PasCliTarget *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int status = pas_cli_open_connection (cli, target);

  if (status != EXIT_OK)
    return status;
  pas_sftp_session_open_async (cli->connection, cli->sftp_server, NULL, pas_cli_store_cb, &result);
  cli->sftp = pas_sftp_session_open_finish (pas_cli_wait_for (&result), &error);
  if (cli->sftp == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_CONNECTION;
    }
  return EXIT_OK;
}

/* ---- small synchronous helpers on the session ----------------------------- */

gboolean
pas_cli_remote_stat (Cli          *cli,
                     const char   *path,
                     gboolean      follow,
                     PasSftpAttrs *attrs,
                     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sftp_session_stat_async (cli->sftp, path, follow, NULL, pas_cli_store_cb, &result);
  return pas_sftp_session_stat_finish (cli->sftp, pas_cli_wait_for (&result), attrs, error);
}
static char *
resolve_path (Cli        *cli,
              const char *path,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (path != NULL && path[0] == '/')
    return g_strdup (path);
  if (path != NULL && path[0] == '~' && pas_sftp_session_has_extension (cli->sftp, "expand-path@openssh.com"))
    {
      pas_sftp_session_expand_path_async (cli->sftp, path, NULL, pas_cli_store_cb, &result);
      return pas_sftp_session_expand_path_finish (cli->sftp, pas_cli_wait_for (&result), error);
    }
  pas_sftp_session_realpath_async (cli->sftp, path != NULL ? path : ".", NULL, pas_cli_store_cb, &result);
  return pas_sftp_session_realpath_finish (cli->sftp, pas_cli_wait_for (&result), error);
}

/* ---- main ---------------------------------------------------------------- */

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  if (message != NULL)
    g_printerr ("passerelle-cli: %s\n", message);
  g_printerr ("%s", help);
  return EXIT_USAGE;
}

/* COMMAND [-flags] ARG…: pulls this command's own short flags out of @args. */
static gboolean
take_flag (GPtrArray  *args,
           const char *flag)
{
  for (guint i = 0; i < args->len; i++)
    if (strcmp (g_ptr_array_index (args, i), flag) == 0)
      {
        g_ptr_array_remove_index (args, i);
        return TRUE;
      }
  return FALSE;
}

/* get [-r] URL… LOCAL and put [-r] LOCAL… URL: every URL on one server. */
static int
transfer_command (GOptionContext *context,
                  Cli            *cli,
                  const char     *command,
                  GPtrArray      *args)
{
  gboolean get = strcmp (command, "get") == 0;
  gboolean recursive = take_flag (args, "-r");
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto(GStrv) path_list = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_cli_target_free);
  guint url_from = get ? 0 : args->len - 1, url_to = get ? args->len - 1 : args->len;
  int status;

  if (args->len < 2)
    return usage (context, _("wrong number of arguments"));
  for (guint i = 0; i < args->len; i++)
    if (((const char *) g_ptr_array_index (args, i))[0] == '-')
      {
        g_autofree char *message = g_strdup_printf (_("unknown option “%s”"), (const char *) g_ptr_array_index (args, i));
        return usage (context, message);
      }

  for (guint i = url_from; i < url_to; i++)
    {
      g_autoptr(GError) error = NULL;
      PasCliTarget *target = pas_cli_target_parse (cli, g_ptr_array_index (args, i), &error);

      if (target == NULL)
        {
          pas_cli_print_error (error);
          return EXIT_USAGE;
        }
      g_ptr_array_add (targets, target);
      if (!pas_cli_target_same_server (target, g_ptr_array_index (targets, 0)))
        return usage (context, _("all addresses must be on the same server"));
    }
  status = open_session (cli, g_ptr_array_index (targets, 0));
  if (status != EXIT_OK)
    return status;
  for (guint i = 0; i < targets->len; i++)
    {
      g_autoptr(GError) error = NULL;
      PasCliTarget *target = g_ptr_array_index (targets, i);
      g_autofree char *path = resolve_path (cli, target->path, &error);

      if (path == NULL)
        {
          pas_cli_print_error (error);
          return EXIT_REMOTE;
        }
      g_strv_builder_add (paths, path);
    }
  path_list = g_strv_builder_end (paths);

  if (get)
    return pas_cli_get (cli, path_list, g_ptr_array_index (args, args->len - 1), recursive);
  g_ptr_array_set_size (args, args->len - 1);
  g_ptr_array_add (args, NULL);
  return pas_cli_put (cli, (char **) args->pdata, path_list[0], recursive);
}

/* An address, not a local path: sftp://…, or a colon before any slash
 * (host:path, NAME:path), as scp and rsync read it. */
static gboolean
is_address (const char *arg)
{
  const char *colon = strchr (arg, ':');
  const char *slash = strchr (arg, '/');

  return g_str_has_prefix (arg, "sftp://") || (colon != NULL && (slash == NULL || colon < slash));
}

/* sync SOURCE DEST: one local folder and one address, in either order. */
static int
sync_command (GOptionContext *context,
              Cli            *cli,
              GPtrArray      *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasCliTarget) target = NULL;
  g_autoptr(GFile) local = NULL;
  g_autofree char *remote = NULL;
  gboolean upload;
  int status;

  if (args->len != 2)
    return usage (context, _("wrong number of arguments"));
  for (guint i = 0; i < args->len; i++)
    if (((const char *) g_ptr_array_index (args, i))[0] == '-')
      {
        g_autofree char *message = g_strdup_printf (_("unknown option “%s”"), (const char *) g_ptr_array_index (args, i));
        return usage (context, message);
      }
  if (is_address (g_ptr_array_index (args, 0)) == is_address (g_ptr_array_index (args, 1)))
    return usage (context, _("sync takes one local folder and one address on a server"));
  upload = is_address (g_ptr_array_index (args, 1));
  target = pas_cli_target_parse (cli, g_ptr_array_index (args, upload ? 1 : 0), &error);
  if (target == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_USAGE;
    }
  local = g_file_new_for_commandline_arg (g_ptr_array_index (args, upload ? 0 : 1));
  status = open_session (cli, target);
  if (status != EXIT_OK)
    return status;
  remote = resolve_path (cli, target->path, &error);
  if (remote == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_REMOTE;
    }
  return pas_cli_sync (cli, upload, local, remote);
}

/* resolve ADDRESS: what the address leads to, one "keyword value" line
 * each, as `ssh -G` prints; nothing is connected. */
static int
cmd_resolve (Cli        *cli,
             const char *arg)
{
  g_autoptr(GError) error = NULL;
  /* A bare NAME, as ssh -G takes it, is NAME: here. */
  g_autofree char *address = strchr (arg, ':') == NULL ? g_strconcat (arg, ":", NULL) : g_strdup (arg);
  g_autoptr(PasCliTarget) target = pas_cli_target_parse (cli, address, &error);
  PasDestination *d;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) jumps = g_string_new (NULL);

  if (target == NULL)
    {
      pas_cli_print_error (error);
      return EXIT_USAGE;
    }
  d = target->destination;
  g_string_append_printf (out, "destination %s\nlabel %s\nhost %s\nport %u\nuser %s\n", pas_destination_get_key (d),
                          pas_destination_get_label (d), pas_destination_get_host (d), pas_destination_get_port (d),
                          pas_destination_get_user (d));
  for (const char * const *file = pas_destination_get_identity_files (d); *file != NULL; file++)
    g_string_append_printf (out, "identityfile %s\n", *file);
  g_string_append_printf (out, "identitiesonly %s\n", pas_destination_get_identities_only (d) ? "yes" : "no");
  if (pas_destination_get_user_known_hosts (d) != NULL)
    g_string_append_printf (out, "userknownhostsfile %s\n", pas_destination_get_user_known_hosts (d));
  for (PasDestination **hop = pas_destination_get_jumps (d); *hop != NULL; hop++)
    g_string_append_printf (jumps, "%s%s", jumps->len > 0 ? "," : "", pas_destination_get_key (*hop));
  if (jumps->len > 0)
    g_string_append_printf (out, "proxyjump %s\n", jumps->str);
  if (pas_destination_get_proxy_command (d) != NULL)
    g_string_append_printf (out, "proxycommand %s\n", pas_destination_get_proxy_command (d));
  if (pas_destination_get_ciphers (d) != NULL)
    g_string_append_printf (out, "ciphers %s\n", pas_destination_get_ciphers (d));
  if (pas_destination_get_macs (d) != NULL)
    g_string_append_printf (out, "macs %s\n", pas_destination_get_macs (d));
  if (target->path != NULL)
    g_string_append_printf (out, "path %s\n", target->path);
  fputs (out->str, stdout);
  return EXIT_OK;
}

/* What the options filled in; usage errors return early. */
static void
cli_clear (Cli *cli)
{
  g_strfreev (cli->identities);
  g_free (cli->known_hosts);
  g_free (cli->jump);
  g_free (cli->sftp_server);
  g_free (cli->conflict);
  g_free (cli->ssh_config);
  g_strfreev (cli->excludes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cli, cli_clear)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(PasCliTarget) target = NULL;
  g_autofree char *path = NULL;
  gboolean version = FALSE;
  const char *localedir = g_getenv ("PASSERELLE_LOCALEDIR");
  const char *command;
  g_auto(Cli) cli = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "identity", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &cli.identities, N_("Log in with this key file only (repeatable)"), N_("KEYFILE") },
    { "config", 'F', 0, G_OPTION_ARG_FILENAME, &cli.ssh_config, N_("Read this ssh_config file instead of ~/.ssh/config (“none”: none)"), N_("FILE") },
    { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, &cli.known_hosts, N_("Use this known_hosts file"), N_("FILE") },
    { "jump", 'J', 0, G_OPTION_ARG_STRING, &cli.jump, N_("Go through these jump hosts, like ssh -J (“none”: directly)"), N_("[USER@]HOST[:PORT],…") },
    { "accept-new-host-key", 0, 0, G_OPTION_ARG_NONE, &cli.accept_new, N_("Accept and remember the key of a new host"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_NONE, &cli.batch, N_("Never ask anything; refuse unknown host keys"), NULL },
    { "sftp-server", 0, 0, G_OPTION_ARG_STRING, &cli.sftp_server, N_("Run this SFTP server command instead of the sftp subsystem"), N_("COMMAND") },
    { "conflict", 0, 0, G_OPTION_ARG_STRING, &cli.conflict, N_("When the destination exists: overwrite (default), skip, resume, rename, newer or ask"), N_("POLICY") },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &cli.resume, N_("Continue .filepart files left by an interrupted transfer"), NULL },
    { "parallel", 0, 0, G_OPTION_ARG_INT, &cli.parallel, N_("Copy this many files at once (default 32; sync: 256)"), N_("N") },
    { "channels", 0, 0, G_OPTION_ARG_INT, &cli.channels, N_("Use this many SFTP channels for get and put (default 4)"), N_("N") },
    { "follow-symlinks", 'L', 0, G_OPTION_ARG_NONE, &cli.follow_symlinks, N_("Copy what symbolic links point to (loops are skipped)"), NULL },
    { "no-preserve", 0, 0, G_OPTION_ARG_NONE, &cli.no_preserve, N_("Do not copy modification times and permissions"), NULL },
    { "fsync", 0, 0, G_OPTION_ARG_NONE, &cli.fsync, N_("Flush each file to disk before it takes its name"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &cli.dry_run, N_("sync: print what would be done, do nothing"), NULL },
    { "delete", 0, 0, G_OPTION_ARG_NONE, &cli.delete_extras, N_("sync: delete what the source does not have"), NULL },
    { "checksum", 'c', 0, G_OPTION_ARG_NONE, &cli.checksum, N_("sync: compare contents (SHA-256) of files of the same size and time"), NULL },
    { "exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cli.excludes, N_("sync: leave out names matching GLOB (“dir/” for folders only; repeatable)"), N_("GLOB") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli.json, N_("Print one JSON object per line"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &cli.quiet, N_("Print only errors"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &cli.verbose, N_("Print what happens"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Commands:\n"
                                           "  ls [-l] [-a] URL\n"
                                           "  get [-r] URL… LOCAL\n"
                                           "  put [-r] LOCAL… URL\n"
                                           "  stat URL\n"
                                           "  mkdir [-p] URL\n"
                                           "  rm [-r] URL\n"
                                           "  mv URL NEWPATH\n"
                                           "  chmod MODE URL\n"
                                           "  sync LOCAL URL | sync URL LOCAL (makes the second folder like the first,\n"
                                           "    as rsync -rt: missing or different files copied, same size and time\n"
                                           "    trusted unless --checksum; --delete removes extras, --dry-run only says)\n"
                                           "  resolve URL (what it leads to, like ssh -G; connects to nothing)\n"
                                           "  run URL|NAME COMMAND… (runs COMMAND on the server, like ssh: its output,\n"
                                           "    its exit status; 255 when the connection or login fails)\n"
                                           "URL is sftp://[user@]host[:port]/path, or [user@]NAME:path where NAME is\n"
                                           "a saved session or a Host of ~/.ssh/config (its ProxyJump or ProxyCommand\n"
                                           "is followed, as by ssh)\n"
                                           "Exit status: 0 ok, 2 usage, 3 connection failed, 4 host key not accepted, "
                                           "5 authentication failed, 6 remote operation failed, 7 local I/O failed, "
                                           "8 some items of a batch failed"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Commands have their own short flags (ls -l, rm -r): leave them to us. */
  g_option_context_set_ignore_unknown_options (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (version)
    {
      g_print ("passerelle-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  /* stdout carries listings and JSON that scripts read: messages of every
   * level (GLib sends debug and info to stdout by default) go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
  if (cli.verbose)
    g_setenv ("G_MESSAGES_DEBUG", "pas-connection pas-sftp pas-transfer passerelle-cli", TRUE);

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  if (args->len == 0)
    return usage (context, NULL);
  command = g_ptr_array_steal_index (args, 0);

  if (strcmp (command, "get") == 0 || strcmp (command, "put") == 0)
    {
      status = transfer_command (context, &cli, command, args);
      goto out;
    }
  if (strcmp (command, "sync") == 0)
    {
      status = sync_command (context, &cli, args);
      goto out;
    }
  if (strcmp (command, "run") == 0)
    {
      if (args->len < 2)
        return usage (context, _("wrong number of arguments"));
      status = pas_cli_run (&cli, args);
      goto out;
    }
  if (strcmp (command, "resolve") == 0)
    {
      if (args->len != 1)
        return usage (context, _("wrong number of arguments"));
      status = cmd_resolve (&cli, g_ptr_array_index (args, 0));
      goto out;
    }
  if (strcmp (command, "ls") != 0 && strcmp (command, "stat") != 0 && strcmp (command, "mkdir") != 0 &&
      strcmp (command, "rm") != 0 && strcmp (command, "mv") != 0 && strcmp (command, "chmod") != 0)
    {
      g_autofree char *message = g_strdup_printf (_("unknown command “%s”"), command);
      return usage (context, message);
    }

  {
    gboolean long_format = strcmp (command, "ls") == 0 && take_flag (args, "-l");
    gboolean all = strcmp (command, "ls") == 0 && take_flag (args, "-a");
    gboolean parents = strcmp (command, "mkdir") == 0 && take_flag (args, "-p");
    gboolean recursive = strcmp (command, "rm") == 0 && take_flag (args, "-r");
    guint needed = strcmp (command, "mv") == 0 || strcmp (command, "chmod") == 0 ? 2 : 1;
    const char *url_arg;

    if (args->len != needed)
      return usage (context, _("wrong number of arguments"));
    for (guint i = 0; i < args->len; i++)
      if (((const char *) g_ptr_array_index (args, i))[0] == '-' && strcmp (command, "chmod") != 0)
        {
          g_autofree char *message = g_strdup_printf (_("unknown option “%s”"), (const char *) g_ptr_array_index (args, i));
          return usage (context, message);
        }

    url_arg = g_ptr_array_index (args, strcmp (command, "chmod") == 0 ? 1 : 0);
    target = pas_cli_target_parse (&cli, url_arg, &error);
    if (target == NULL)
      {
        pas_cli_print_error (error);
        return EXIT_USAGE;
      }

    status = open_session (&cli, target);
    if (status != EXIT_OK)
      goto out;
    path = resolve_path (&cli, target->path, &error);
    if (path == NULL)
      {
        pas_cli_print_error (error);
        status = EXIT_REMOTE;
        goto out;
      }

    if (strcmp (command, "ls") == 0)
      status = pas_cli_ls (&cli, path, long_format, all);
    else if (strcmp (command, "stat") == 0)
      status = pas_cli_stat (&cli, path);
    else if (strcmp (command, "mkdir") == 0)
      status = pas_cli_mkdir (&cli, path, parents);
    else if (strcmp (command, "rm") == 0)
      status = pas_cli_rm (&cli, path, recursive);
    else if (strcmp (command, "mv") == 0)
      status = pas_cli_mv (&cli, path, g_ptr_array_index (args, 1));
    else
      status = pas_cli_chmod (&cli, g_ptr_array_index (args, 0), path);
  }

out:
  g_clear_pointer (&cli.sessions, g_ptr_array_unref);
  g_clear_object (&cli.sftp);
  if (cli.connection != NULL)
    {
      /* Wait until the worker has left libssh2: OpenSSL is torn down at exit. */
      g_autoptr(GAsyncResult) result = NULL;

      pas_connection_close_async (cli.connection, pas_cli_store_cb, &result);
      pas_connection_close_finish (cli.connection, pas_cli_wait_for (&result), NULL);
    }
  g_clear_object (&cli.connection);
  g_clear_object (&cli.interaction);
  g_clear_object (&cli.resolver);
  return status;
}
