#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pas-terminal-interaction.h"

struct _PasTerminalInteraction
{
  PasInteraction parent_instance;
  gboolean       batch;
  gboolean       accept_new;
};

G_DEFINE_FINAL_TYPE (PasTerminalInteraction, pas_terminal_interaction, PAS_TYPE_INTERACTION)

PasInteraction *
pas_terminal_interaction_new (gboolean batch,
                              gboolean accept_new)
{
  PasTerminalInteraction *self = g_object_new (PAS_TYPE_TERMINAL_INTERACTION, NULL);

  self->batch = batch;
  self->accept_new = accept_new;
  return PAS_INTERACTION (self);
}

/* OpenSSH's rule (ssh(1), SSH_ASKPASS_REQUIRE): "force" always uses the
 * program, "prefer" does when there is a display, "never" never does, and
 * unset does only without a terminal but with a display. */
static gboolean
use_askpass (void)
{
  const char *askpass = g_getenv ("SSH_ASKPASS");
  const char *require = g_getenv ("SSH_ASKPASS_REQUIRE");
  gboolean display = g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
  gboolean tty;
  int fd;

  if (askpass == NULL || *askpass == '\0' || g_strcmp0 (require, "never") == 0)
    return FALSE;
  if (g_strcmp0 (require, "force") == 0)
    return TRUE;
  if (g_strcmp0 (require, "prefer") == 0)
    return display;
  fd = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  tty = fd >= 0;
  if (fd >= 0)
    close (fd);
  return !tty && display;
}

static char *
ask_askpass (const char *prompt,
             GError    **error)
{
  const char *argv[] = { g_getenv ("SSH_ASKPASS"), prompt, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process) || out == NULL)
    {
      if (out != NULL)
        pas_secret_wipe (out, strlen (out));
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The password program was cancelled"));
      return NULL;
    }
  out[strcspn (out, "\r\n")] = '\0';
  return g_steal_pointer (&out);
}

/* Reads one line from the terminal, with echo off when @hidden. */
static char *
ask_tty (const char *prompt,
         gboolean    hidden,
         GError    **error)
{
  int fd = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  struct termios saved, quiet;
  GString *line;
  gboolean restore = FALSE;
  char c;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("No terminal to ask on"));
      return NULL;
    }
  if (write (fd, prompt, strlen (prompt)) < 0)
    g_debug ("could not write the prompt: %s", g_strerror (errno));
  if (hidden && tcgetattr (fd, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(ECHO | ECHONL);
      restore = tcsetattr (fd, TCSAFLUSH, &quiet) == 0;
    }

  line = g_string_new (NULL);
  while (read (fd, &c, 1) == 1 && c != '\n' && line->len < 4096)
    g_string_append_c (line, c);

  if (restore)
    {
      tcsetattr (fd, TCSAFLUSH, &saved);
      if (write (fd, "\n", 1) < 0)
        g_debug ("could not end the prompt line");
    }
  close (fd);
  return g_string_free (line, FALSE);
}

static char *
ask_secret (PasTerminalInteraction *self,
            const char             *prompt,
            gboolean                hidden,
            GError                **error)
{
  if (use_askpass ())
    return ask_askpass (prompt, error);
  if (self->batch)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Not asking: --batch"));
      return NULL;
    }
  return ask_tty (prompt, hidden, error);
}

/* Password and passphrase questions differ only in their prompt. */
static void
answer_secret (PasTerminalInteraction *self,
               GTask                  *task,
               const char             *prompt,
               const char             *message)
{
  GError *error = NULL;
  char *secret;

  if (message != NULL && !use_askpass ())
    g_printerr ("%s\n", message);
  secret = ask_secret (self, prompt, TRUE, &error);
  if (secret == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) pas_secret_free);
}

static void
ask_host_key_async (PasInteraction        *interaction,
                    const PasHostKeyQuery *query,
                    GCancellable          *cancellable,
                    GAsyncReadyCallback    callback,
                    gpointer               user_data)
{
  PasTerminalInteraction *self = PAS_TERMINAL_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *name = query->port == 22 ? g_strdup (query->host)
                                            : g_strdup_printf ("[%s]:%u", query->host, query->port);
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;

  g_printerr (_("The authenticity of host “%s” can’t be established.\n"), name);
  if (query->status == PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN)
    g_printerr (_("It is known by another type of key, but not by this one.\n"));
  g_printerr (_("%s key fingerprint is %s.\n%s\n"), pas_host_key_get_display_type (query->key),
              query->fingerprint, query->randomart);

  if (self->batch)
    {
      gboolean accept = self->accept_new && query->status == PAS_HOST_KEY_STATUS_NEW;
      if (accept)
        g_printerr (_("Accepted and remembered (--accept-new-host-key).\n"));
      g_task_return_int (task, accept ? PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE : PAS_HOST_KEY_DECISION_REJECT);
      return;
    }

  answer = ask_tty (_("Are you sure you want to continue connecting (yes/no/[fingerprint])? "), FALSE, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_strstrip (answer);
  if (g_ascii_strcasecmp (answer, "yes") == 0 || g_strcmp0 (answer, query->fingerprint) == 0)
    g_task_return_int (task, PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE);
  else
    g_task_return_int (task, PAS_HOST_KEY_DECISION_REJECT);
}

static void
ask_password_async (PasInteraction         *interaction,
                    const PasPasswordQuery *query,
                    GCancellable           *cancellable,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  PasTerminalInteraction *self = PAS_TERMINAL_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *prompt = g_strdup_printf (_("%s@%s’s password: "), query->user, query->host);

  answer_secret (self, task, prompt, query->message);
}

static void
ask_passphrase_async (PasInteraction           *interaction,
                      const PasPassphraseQuery *query,
                      GCancellable             *cancellable,
                      GAsyncReadyCallback       callback,
                      gpointer                  user_data)
{
  PasTerminalInteraction *self = PAS_TERMINAL_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *prompt = g_strdup_printf (_("Enter passphrase for key “%s”: "), query->key_path);

  answer_secret (self, task, prompt, query->message);
}

static void
ask_prompts_async (PasInteraction        *interaction,
                   const PasPromptsQuery *query,
                   GCancellable          *cancellable,
                   GAsyncReadyCallback    callback,
                   gpointer               user_data)
{
  PasTerminalInteraction *self = PAS_TERMINAL_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_secret_free);

  if (!use_askpass ())
    {
      if (query->name != NULL && *query->name)
        g_printerr ("%s\n", query->name);
      if (query->instruction != NULL && *query->instruction)
        g_printerr ("%s\n", query->instruction);
    }
  for (guint i = 0; query->prompts[i] != NULL; i++)
    {
      GError *error = NULL;
      char *answer = ask_secret (self, query->prompts[i], !query->echo[i], &error);

      if (answer == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (answers, answer);
    }
  g_ptr_array_add (answers, NULL);
  g_ptr_array_set_free_func (answers, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&answers), FALSE), (GDestroyNotify) g_strfreev);
}

/* "site/index.html exists (…). [o]verwrite, [s]kip, [r]esume, [k]eep both,
 * [n]ewer — a capital letter answers for every file that follows." */
static void
ask_conflict_async (PasInteraction         *interaction,
                    const PasConflictQuery *query,
                    GCancellable           *cancellable,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  PasTerminalInteraction *self = PAS_TERMINAL_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *have = g_format_size (query->target_size);
  g_autofree char *incoming = g_format_size (query->source_size);
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *letters = "osrkn";
  PasConflictPolicy policies[] = { PAS_CONFLICT_OVERWRITE, PAS_CONFLICT_SKIP, PAS_CONFLICT_RESUME,
                                   PAS_CONFLICT_RENAME, PAS_CONFLICT_NEWER };

  if (self->batch)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Not asking: --batch"));
      return;
    }
  /* Over the progress line. */
  g_printerr ("\r\033[K");
  g_printerr (_("“%s” exists (%s there, %s to copy).\n"), query->destination, have, incoming);
  for (;;)
    {
      const char *found;

      g_free (answer);
      answer = ask_tty (_("[o]verwrite, [s]kip, [r]esume, [k]eep both, [n]ewer only (capital: for all)? "), FALSE,
                        &error);
      if (answer == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_strstrip (answer);
      if (answer[0] != '\0' && answer[1] == '\0' && (found = strchr (letters, g_ascii_tolower (answer[0]))) != NULL)
        {
          gboolean all = g_ascii_isupper (answer[0]);
          g_task_return_int (task, policies[found - letters] | (all ? PAS_CONFLICT_FOR_ALL : 0));
          return;
        }
    }
}

/* The base class's finish functions read these GTasks: only the questions are ours. */
static void
pas_terminal_interaction_class_init (PasTerminalInteractionClass *klass)
{
  PasInteractionClass *interaction_class = PAS_INTERACTION_CLASS (klass);

  interaction_class->ask_host_key_async = ask_host_key_async;
  interaction_class->ask_password_async = ask_password_async;
  interaction_class->ask_passphrase_async = ask_passphrase_async;
  interaction_class->ask_prompts_async = ask_prompts_async;
  interaction_class->ask_conflict_async = ask_conflict_async;
}

static void
pas_terminal_interaction_init (PasTerminalInteraction *self)
{
}
