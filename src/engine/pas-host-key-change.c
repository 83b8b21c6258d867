#define G_LOG_DOMAIN "pas-host-key-change"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-host-key-change.h"
#include "pas-known-hosts.h"

PasHostKeyChange *
pas_host_key_change_copy (const PasHostKeyChange *self)
{
  PasHostKeyChange *copy;

  if (self == NULL)
    return NULL;
  copy = g_new0 (PasHostKeyChange, 1);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->offered = pas_host_key_copy (self->offered);
  copy->offered_fingerprint = g_strdup (self->offered_fingerprint);
  copy->stored_fingerprint = g_strdup (self->stored_fingerprint);
  copy->where = g_strdup (self->where);
  copy->known_hosts = g_strdup (self->known_hosts);
  copy->hash = self->hash;
  return copy;
}

void
pas_host_key_change_free (PasHostKeyChange *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_clear_pointer (&self->offered, pas_host_key_free);
  g_free (self->offered_fingerprint);
  g_free (self->stored_fingerprint);
  g_free (self->where);
  g_free (self->known_hosts);
  g_free (self);
}

char *
pas_host_key_change_dup_command (const PasHostKeyChange *self)
{
  g_autofree char *name = pas_known_hosts_format_host (self->host, self->port);
  g_autofree char *quoted = g_shell_quote (name);
  g_autofree char *usual = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
  g_autofree char *file = NULL;

  if (self->known_hosts != NULL && g_strcmp0 (self->known_hosts, usual) != 0)
    file = g_shell_quote (self->known_hosts);
  if (file != NULL)
    return g_strdup_printf ("ssh-keygen -f %s -R %s", file, quoted);
  return g_strdup_printf ("ssh-keygen -R %s", quoted);
}

static void
replace_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const PasHostKeyChange *self = task_data;
  g_autoptr(PasKnownHosts) known_hosts = pas_known_hosts_new ();
  GError *error = NULL;

  if (self->known_hosts == NULL)
    {
      /* A system-wide file: ours to read, not to rewrite. */
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_KNOWN_HOSTS,
                               _("The stored key is in %s, which Passerelle does not change"), self->where);
      return;
    }
  if (!pas_known_hosts_remove_host (self->known_hosts, self->host, self->port, NULL, &error) ||
      !pas_known_hosts_add (known_hosts, self->known_hosts, self->host, self->port, self->offered,
                            self->hash, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
pas_host_key_change_replace_async (const PasHostKeyChange *self,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self != NULL && self->offered != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_host_key_change_replace_async);
  g_task_set_task_data (task, pas_host_key_change_copy (self), (GDestroyNotify) pas_host_key_change_free);
  g_task_run_in_thread (task, replace_thread);
}

gboolean
pas_host_key_change_replace_finish (GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_host_key_change_replace_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
