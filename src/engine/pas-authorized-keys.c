#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-authorized-keys.h"
#include "pas-error.h"
#include "pas-sftp-file.h"
#include "pas-sftp-session-private.h"
#include "pas-sftp-tree.h"

/* "Install my public key on the server": appends a public key line to
 * ~/.ssh/authorized_keys over SFTP, creating ~/.ssh (0700) and the file
 * (0600) when missing, never adding a key that is already there. */

#define MAX_AUTHORIZED_KEYS (1024 * 1024)
#define READ_SIZE 32768

typedef struct
{
  PasSftpSession *self;
  char           *line;      /* "type base64 [comment]" */
  char           *dir;
  char           *file;
  PasSftpFile    *handle;
  GByteArray     *existing;
  gboolean        added;
} Install;

static void
install_free (Install *job)
{
  g_free (job->line);
  g_free (job->dir);
  g_free (job->file);
  g_clear_pointer (&job->handle, pas_sftp_file_unref);
  g_clear_pointer (&job->existing, g_byte_array_unref);
  g_free (job);
}

static GCancellable *
cancellable_of (GTask *task)
{
  return g_task_get_cancellable (task);
}

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The key's type and base64, wherever they are on the line (options may come first). */
static gboolean
line_has_key (const char *line,
              const char *type,
              const char *base64)
{
  g_auto(GStrv) words = g_strsplit_set (line, " \t", -1);

  for (guint i = 0; words[i] != NULL && words[i + 1] != NULL; i++)
    if (strcmp (words[i], type) == 0 && strcmp (words[i + 1], base64) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
already_there (Install *job)
{
  g_auto(GStrv) ours = g_strsplit_set (job->line, " \t", 3);
  g_autofree char *text = g_strndup ((const char *) job->existing->data, job->existing->len);
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return FALSE;
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '#' && line_has_key (lines[i], ours[0], ours[1]))
      return TRUE;
  return FALSE;
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pas_sftp_session_close_file_finish (job->self, result, &error))
    {
      fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pas_sftp_session_write_finish (job->self, result, &error))
    {
      pas_sftp_session_close_file_async (job->self, job->handle, NULL, NULL, NULL);
      fail (task, error);
      return;
    }
  job->added = TRUE;
  pas_sftp_session_close_file_async (job->self, job->handle, cancellable_of (task), closed_cb, task);
}

static void
append_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean needs_newline = job->existing->len > 0 && job->existing->data[job->existing->len - 1] != '\n';
  g_autofree char *text = g_strconcat (needs_newline ? "\n" : "", job->line, "\n", NULL);

  job->handle = pas_sftp_session_open_file_finish (job->self, result, &error);
  if (job->handle == NULL)
    {
      fail (task, error);
      return;
    }
  /* APPEND: the server writes at the end whatever the offset says. */
  pas_sftp_session_write_async (job->self, job->handle, job->existing->len, (const guint8 *) text, strlen (text),
                                cancellable_of (task), written_cb, task);
}

static void
append (GTask *task)
{
  Install *job = g_task_get_task_data (task);
  PasSftpAttrs mode = { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = 0600 };

  if (already_there (job))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  pas_sftp_session_open_file_async (job->self, job->file,
                                    PAS_SFTP_OPEN_WRITE | PAS_SFTP_OPEN_CREATE | PAS_SFTP_OPEN_APPEND, &mode,
                                    cancellable_of (task), append_opened_cb, task);
}

static void read_more (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = pas_sftp_session_read_finish (job->self, result, &error);

  if (error != NULL)
    {
      fail (task, error);
      return;
    }
  if (bytes == NULL)
    {
      pas_sftp_session_close_file_async (job->self, job->handle, NULL, NULL, NULL);
      g_clear_pointer (&job->handle, pas_sftp_file_unref);
      append (task);
      return;
    }
  g_byte_array_append (job->existing, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (job->existing->len > MAX_AUTHORIZED_KEYS)
    {
      fail (task, g_error_new (PAS_ERROR, PAS_ERROR_FAILED,
                               _("The server’s authorized_keys file is too large to check")));
      return;
    }
  read_more (task);
}

static void
read_more (GTask *task)
{
  Install *job = g_task_get_task_data (task);

  pas_sftp_session_read_async (job->self, job->handle, job->existing->len, READ_SIZE, cancellable_of (task),
                               read_cb, task);
}

static void
read_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->handle = pas_sftp_session_open_file_finish (job->self, result, &error);
  if (job->handle == NULL)
    {
      if (!g_error_matches (error, PAS_ERROR, PAS_ERROR_NOT_FOUND))
        {
          fail (task, error);
          return;
        }
      g_error_free (error);
      append (task);
      return;
    }
  read_more (task);
}

static void
dir_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pas_sftp_session_make_directories_finish (job->self, result, &error))
    {
      fail (task, error);
      return;
    }
  pas_sftp_session_open_file_async (job->self, job->file, PAS_SFTP_OPEN_READ, NULL, cancellable_of (task),
                                    read_opened_cb, task);
}

static void
home_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GTask *task = data;
  Install *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *home = pas_sftp_session_realpath_finish (job->self, result, &error);

  if (home == NULL)
    {
      fail (task, error);
      return;
    }
  job->dir = g_build_path ("/", home, ".ssh", NULL);
  job->file = g_build_path ("/", job->dir, "authorized_keys", NULL);
  pas_sftp_session_make_directories_async (job->self, job->dir, 0700, cancellable_of (task), dir_ready_cb, task);
}

/**
 * pas_sftp_session_install_public_key_async:
 * @line: "type base64 [comment]", as in a .pub file
 * @ssh_dir: (nullable): the folder holding authorized_keys; NULL for ~/.ssh
 */
void
pas_sftp_session_install_public_key_async (PasSftpSession     *self,
                                           const char         *line,
                                           const char         *ssh_dir,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data)
{
  GTask *task;
  Install *job;
  g_auto(GStrv) words = NULL;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  job = g_new0 (Install, 1);
  words = g_strsplit_set (line != NULL ? line : "", " \t", 3);
  g_task_set_source_tag (task, pas_sftp_session_install_public_key_async);

  job->self = self;
  job->existing = g_byte_array_new ();
  g_task_set_task_data (task, job, (GDestroyNotify) install_free);
  if (g_strv_length (words) < 2 || strchr (line, '\n') != NULL || strchr (line, '\r') != NULL)
    {
      fail (task, g_error_new (PAS_ERROR, PAS_ERROR_FAILED, _("This is not a public key line")));
      return;
    }
  job->line = g_strstrip (g_strdup (line));
  if (ssh_dir != NULL)
    {
      job->dir = g_strdup (ssh_dir);
      job->file = g_build_path ("/", ssh_dir, "authorized_keys", NULL);
      pas_sftp_session_make_directories_async (self, job->dir, 0700, cancellable, dir_ready_cb, task);
    }
  else
    pas_sftp_session_realpath_async (self, ".", cancellable, home_cb, task);
}

gboolean
pas_sftp_session_install_public_key_finish (PasSftpSession *self,
                                            GAsyncResult   *result,
                                            gboolean       *added,
                                            GError        **error)
{
  Install *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_sftp_session_install_public_key_async), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (added != NULL)
    *added = job->added;
  return g_task_propagate_boolean (G_TASK (result), error);
}
