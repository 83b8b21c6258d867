#define G_LOG_DOMAIN "pas-keyring"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "pas-engine.h"
#include "pas-keyring.h"

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Password", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static const SecretSchema *
passphrase_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Passphrase", SECRET_SCHEMA_NONE,
    {
      { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *found = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_debug ("keyring lookup failed, asking instead: %s", error->message);
  else
    g_debug ("keyring lookup: %s", found != NULL ? "found" : "nothing");
  if (found != NULL)
    {
      g_task_return_pointer (task, pas_secret_dup (found), (GDestroyNotify) pas_secret_free);
      secret_password_free (found);
    }
  else
    g_task_return_pointer (task, NULL, NULL);
}

void
pas_keyring_lookup_password_async (const char         *host,
                                   guint16             port,
                                   const char         *user,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, pas_keyring_lookup_password_async);
  secret_password_lookup (password_schema (), cancellable, lookup_cb, task,
                          "host", host, "port", (int) port, "user", user, NULL);
}

void
pas_keyring_lookup_passphrase_async (const char         *key_id,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, pas_keyring_lookup_passphrase_async);
  secret_password_lookup (passphrase_schema (), cancellable, lookup_cb, task, "key", key_id, NULL);
}

char *
pas_keyring_lookup_password_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_keyring_lookup_password_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

char *
pas_keyring_lookup_passphrase_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, pas_keyring_lookup_passphrase_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_warning ("could not save the secret in the keyring: %s", error->message);
}

void
pas_keyring_store_password (const char *host,
                            guint16     port,
                            const char *user,
                            const char *password)
{
  /* Translators: the label of a keyring item; %s is user@host */
  g_autofree char *who = g_strdup_printf ("%s@%s", user, host);
  g_autofree char *label = g_strdup_printf (_("SFTP password for %s"), who);

  secret_password_store (password_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         NULL, store_cb, NULL,
                         "host", host, "port", (int) port, "user", user, NULL);
}

void
pas_keyring_store_passphrase (const char *key_id,
                              const char *key_path,
                              const char *passphrase)
{
  /* Translators: the label of a keyring item; %s is a key file */
  g_autofree char *label = g_strdup_printf (_("Passphrase of SSH key %s"), key_path);

  secret_password_store (passphrase_schema (), SECRET_COLLECTION_DEFAULT, label, passphrase,
                         NULL, store_cb, NULL, "key", key_id, NULL);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_warning ("could not remove the password from the keyring: %s", error->message);
}

/* Forgets the password of host, port and user (a session being deleted). */
void
pas_keyring_clear_password (const char *host,
                            guint16     port,
                            const char *user)
{
  secret_password_clear (password_schema (), NULL, clear_cb, NULL,
                         "host", host, "port", (int) port, "user", user, NULL);
}
