#define G_LOG_DOMAIN "pas-interaction"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pas-interaction.h"

G_DEFINE_TYPE (PasInteraction, pas_interaction, G_TYPE_OBJECT)

/* The base class cannot ask anyone: every question is refused, which the
 * connection reports as the matching failure (unknown host key, no password). */
static void
refuse_async (PasInteraction     *self,
              gpointer            source_tag,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Nobody can be asked"));
}

static void
pas_interaction_real_ask_host_key_async (PasInteraction        *self,
                                         const PasHostKeyQuery *query,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  refuse_async (self, pas_interaction_real_ask_host_key_async, cancellable, callback, user_data);
}

static PasHostKeyDecision
pas_interaction_real_ask_host_key_finish (PasInteraction *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  return value < 0 ? PAS_HOST_KEY_DECISION_REJECT : (PasHostKeyDecision) value;
}

static void
pas_interaction_real_ask_password_async (PasInteraction         *self,
                                         const PasPasswordQuery *query,
                                         GCancellable           *cancellable,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data)
{
  refuse_async (self, pas_interaction_real_ask_password_async, cancellable, callback, user_data);
}

static gpointer
propagate_pointer (GAsyncResult *result,
                   GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
pas_interaction_real_ask_password_finish (PasInteraction *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return propagate_pointer (result, error);
}

static void
pas_interaction_real_ask_passphrase_async (PasInteraction           *self,
                                           const PasPassphraseQuery *query,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data)
{
  refuse_async (self, pas_interaction_real_ask_passphrase_async, cancellable, callback, user_data);
}

static char *
pas_interaction_real_ask_passphrase_finish (PasInteraction *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return propagate_pointer (result, error);
}

static void
pas_interaction_real_ask_prompts_async (PasInteraction        *self,
                                        const PasPromptsQuery *query,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  refuse_async (self, pas_interaction_real_ask_prompts_async, cancellable, callback, user_data);
}

static char **
pas_interaction_real_ask_prompts_finish (PasInteraction *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return propagate_pointer (result, error);
}

static void
pas_interaction_real_ask_conflict_async (PasInteraction         *self,
                                         const PasConflictQuery *query,
                                         GCancellable           *cancellable,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data)
{
  refuse_async (self, pas_interaction_real_ask_conflict_async, cancellable, callback, user_data);
}

static PasConflictPolicy
pas_interaction_real_ask_conflict_finish (PasInteraction *self,
                                          GAsyncResult   *result,
                                          gboolean       *apply_to_all,
                                          GError        **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  if (apply_to_all != NULL)
    *apply_to_all = value >= 0 && (value & PAS_CONFLICT_FOR_ALL) != 0;
  if (value < 0 || (value & 0xff) >= PAS_CONFLICT_ASK)
    return PAS_CONFLICT_SKIP;
  return (PasConflictPolicy) (value & 0xff);
}

static void
pas_interaction_class_init (PasInteractionClass *klass)
{
  klass->ask_conflict_async = pas_interaction_real_ask_conflict_async;
  klass->ask_conflict_finish = pas_interaction_real_ask_conflict_finish;
  klass->ask_host_key_async = pas_interaction_real_ask_host_key_async;
  klass->ask_host_key_finish = pas_interaction_real_ask_host_key_finish;
  klass->ask_password_async = pas_interaction_real_ask_password_async;
  klass->ask_password_finish = pas_interaction_real_ask_password_finish;
  klass->ask_passphrase_async = pas_interaction_real_ask_passphrase_async;
  klass->ask_passphrase_finish = pas_interaction_real_ask_passphrase_finish;
  klass->ask_prompts_async = pas_interaction_real_ask_prompts_async;
  klass->ask_prompts_finish = pas_interaction_real_ask_prompts_finish;
}

static void
pas_interaction_init (PasInteraction *self)
{
}

void
pas_interaction_ask_host_key_async (PasInteraction        *self,
                                    const PasHostKeyQuery *query,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_return_if_fail (PAS_IS_INTERACTION (self));
  PAS_INTERACTION_GET_CLASS (self)->ask_host_key_async (self, query, cancellable, callback, user_data);
}

PasHostKeyDecision
pas_interaction_ask_host_key_finish (PasInteraction *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (PAS_IS_INTERACTION (self), PAS_HOST_KEY_DECISION_REJECT);
  return PAS_INTERACTION_GET_CLASS (self)->ask_host_key_finish (self, result, error);
}

void
pas_interaction_ask_password_async (PasInteraction         *self,
                                    const PasPasswordQuery *query,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_return_if_fail (PAS_IS_INTERACTION (self));
  PAS_INTERACTION_GET_CLASS (self)->ask_password_async (self, query, cancellable, callback, user_data);
}

char *
pas_interaction_ask_password_finish (PasInteraction *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (PAS_IS_INTERACTION (self), NULL);
  return PAS_INTERACTION_GET_CLASS (self)->ask_password_finish (self, result, error);
}

void
pas_interaction_ask_passphrase_async (PasInteraction           *self,
                                      const PasPassphraseQuery *query,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  g_return_if_fail (PAS_IS_INTERACTION (self));
  PAS_INTERACTION_GET_CLASS (self)->ask_passphrase_async (self, query, cancellable, callback, user_data);
}

char *
pas_interaction_ask_passphrase_finish (PasInteraction *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (PAS_IS_INTERACTION (self), NULL);
  return PAS_INTERACTION_GET_CLASS (self)->ask_passphrase_finish (self, result, error);
}

void
pas_interaction_ask_prompts_async (PasInteraction        *self,
                                   const PasPromptsQuery *query,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_return_if_fail (PAS_IS_INTERACTION (self));
  PAS_INTERACTION_GET_CLASS (self)->ask_prompts_async (self, query, cancellable, callback, user_data);
}

char **
pas_interaction_ask_prompts_finish (PasInteraction *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (PAS_IS_INTERACTION (self), NULL);
  return PAS_INTERACTION_GET_CLASS (self)->ask_prompts_finish (self, result, error);
}

void
pas_interaction_ask_conflict_async (PasInteraction         *self,
                                    const PasConflictQuery *query,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_return_if_fail (PAS_IS_INTERACTION (self));
  PAS_INTERACTION_GET_CLASS (self)->ask_conflict_async (self, query, cancellable, callback, user_data);
}

/* A refusal (nobody to ask, or cancelled) is a skip, with the error set. */
PasConflictPolicy
pas_interaction_ask_conflict_finish (PasInteraction *self,
                                     GAsyncResult   *result,
                                     gboolean       *apply_to_all,
                                     GError        **error)
{
  g_return_val_if_fail (PAS_IS_INTERACTION (self), PAS_CONFLICT_SKIP);
  return PAS_INTERACTION_GET_CLASS (self)->ask_conflict_finish (self, result, apply_to_all, error);
}
