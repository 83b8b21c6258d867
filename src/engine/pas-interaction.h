#pragma once

#include <gio/gio.h>

#include "pas-host-key.h"
#include "pas-known-hosts.h"
#include "pas-transfer-types.h"

G_BEGIN_DECLS

/* How the engine asks people things — a host key decision, a password, the
 * prompts of a keyboard-interactive login — without knowing whether a GTK
 * dialog, a terminal or a test answers (think GMountOperation). The engine
 * calls these in the main context that started the connection. */

typedef enum
{
  PAS_HOST_KEY_DECISION_REJECT,
  PAS_HOST_KEY_DECISION_ACCEPT_ONCE,
  PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE,
} PasHostKeyDecision;

typedef struct
{
  const char       *host;
  guint16           port;
  PasHostKeyStatus  status;        /* NEW or OTHER_TYPE_KNOWN: the engine never asks for others */
  const PasHostKey *key;
  const char       *fingerprint;   /* "SHA256:…" */
  const char       *randomart;
  const char * const *known_types; /* key types on file for this host (OTHER_TYPE_KNOWN) */
} PasHostKeyQuery;

typedef struct
{
  const char *host;
  guint16     port;
  const char *user;
  guint       attempt;             /* 1 for the first try */
  const char *message;             /* (nullable) why we ask again, e.g. a refusal */
} PasPasswordQuery;

typedef struct
{
  const char *key_path;
  const char *comment;             /* (nullable) */
  const char *fingerprint;         /* (nullable) when the public half is hidden too */
  guint       attempt;
  const char *message;             /* (nullable) why we ask again */
} PasPassphraseQuery;

typedef struct
{
  const char         *host;
  const char         *user;
  const char         *name;         /* (nullable) from the server */
  const char         *instruction;  /* (nullable) from the server */
  const char * const *prompts;
  const gboolean     *echo;         /* one per prompt */
  guint               round;        /* 1 for the first round */
} PasPromptsQuery;

/* The destination of a copy exists. Names are escaped for display. */
typedef struct
{
  PasTransferDirection direction;
  const char          *name;
  const char          *destination;
  guint64              source_size;
  gint64               source_mtime;     /* seconds, 0: unknown */
  guint64              target_size;
  gint64               target_mtime;
  gboolean             can_resume;       /* the existing file is smaller */
} PasConflictQuery;

#define PAS_TYPE_INTERACTION (pas_interaction_get_type ())

G_DECLARE_DERIVABLE_TYPE (PasInteraction, pas_interaction, PAS, INTERACTION, GObject)

struct _PasInteractionClass
{
  GObjectClass parent_class;

  void               (*ask_host_key_async)  (PasInteraction         *self,
                                             const PasHostKeyQuery  *query,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
  PasHostKeyDecision (*ask_host_key_finish) (PasInteraction         *self,
                                             GAsyncResult           *result,
                                             GError                **error);
  void               (*ask_password_async)  (PasInteraction         *self,
                                             const PasPasswordQuery *query,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
  char              *(*ask_password_finish) (PasInteraction         *self,
                                             GAsyncResult           *result,
                                             GError                **error);
  void               (*ask_prompts_async)   (PasInteraction         *self,
                                             const PasPromptsQuery  *query,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
  char             **(*ask_prompts_finish)  (PasInteraction         *self,
                                             GAsyncResult           *result,
                                             GError                **error);

  void               (*ask_passphrase_async)  (PasInteraction           *self,
                                               const PasPassphraseQuery *query,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
  char              *(*ask_passphrase_finish) (PasInteraction           *self,
                                               GAsyncResult             *result,
                                               GError                  **error);

  void               (*ask_conflict_async)  (PasInteraction          *self,
                                             const PasConflictQuery  *query,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
  PasConflictPolicy  (*ask_conflict_finish) (PasInteraction          *self,
                                             GAsyncResult            *result,
                                             gboolean                *apply_to_all,
                                             GError                 **error);
  gpointer padding[4];
};

void               pas_interaction_ask_host_key_async  (PasInteraction         *self,
                                                        const PasHostKeyQuery  *query,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
PasHostKeyDecision pas_interaction_ask_host_key_finish (PasInteraction         *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void               pas_interaction_ask_password_async  (PasInteraction         *self,
                                                        const PasPasswordQuery *query,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
/* Returns: (transfer full): free with pas_secret_free() */
char              *pas_interaction_ask_password_finish (PasInteraction         *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void               pas_interaction_ask_passphrase_async (PasInteraction          *self,
                                                         const PasPassphraseQuery *query,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
/* Returns: (transfer full): free with pas_secret_free() */
char              *pas_interaction_ask_passphrase_finish (PasInteraction         *self,
                                                          GAsyncResult           *result,
                                                          GError                **error);
void               pas_interaction_ask_prompts_async   (PasInteraction         *self,
                                                        const PasPromptsQuery  *query,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
/* Returns: (transfer full): one answer per prompt; wipe each with pas_secret_free() */
char             **pas_interaction_ask_prompts_finish  (PasInteraction         *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);

void               pas_interaction_ask_conflict_async  (PasInteraction         *self,
                                                        const PasConflictQuery *query,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
/* Never PAS_CONFLICT_ASK. Implementations return the policy with
 * g_task_return_int (policy | (apply_to_all ? PAS_CONFLICT_FOR_ALL : 0)). */
PasConflictPolicy  pas_interaction_ask_conflict_finish (PasInteraction         *self,
                                                        GAsyncResult           *result,
                                                        gboolean               *apply_to_all,
                                                        GError                **error);
#define PAS_CONFLICT_FOR_ALL 0x100

G_END_DECLS
