#define G_LOG_DOMAIN "pas-gtk-interaction"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-gtk-interaction.h"
#include "pas-keyring.h"
#include "pas-alert.h"
#include "pas-fingerprint.h"

typedef struct
{
  char    *host;
  guint16  port;
  char    *user;
  char    *key_id;     /* passphrases */
  char    *key_path;
  char    *secret;
} PendingSecret;

struct _PasGtkInteraction
{
  PasInteraction  parent_instance;

  GWeakRef        parent;
  GPtrArray      *pending;   /* of PendingSecret: asked to be remembered */
  char           *password;  /* typed beforehand (a session editor's field): the first try's */
};

G_DEFINE_FINAL_TYPE (PasGtkInteraction, pas_gtk_interaction, PAS_TYPE_INTERACTION)

static void
pending_secret_free (PendingSecret *p)
{
  g_free (p->host);
  g_free (p->user);
  g_free (p->key_id);
  g_free (p->key_path);
  pas_secret_free (p->secret);
  g_free (p);
}

PasGtkInteraction *
pas_gtk_interaction_new (GtkWindow *parent)
{
  PasGtkInteraction *self = g_object_new (PAS_TYPE_GTK_INTERACTION, NULL);

  g_weak_ref_set (&self->parent, parent);
  return self;
}

void
pas_gtk_interaction_commit_secrets (PasGtkInteraction *self)
{
  g_return_if_fail (PAS_IS_GTK_INTERACTION (self));

  for (guint i = 0; i < self->pending->len; i++)
    {
      PendingSecret *p = g_ptr_array_index (self->pending, i);

      if (p->key_id != NULL)
        pas_keyring_store_passphrase (p->key_id, p->key_path, p->secret);
      else
        pas_keyring_store_password (p->host, p->port, p->user, p->secret);
    }
  g_ptr_array_set_size (self->pending, 0);
}

void
pas_gtk_interaction_forget_secrets (PasGtkInteraction *self)
{
  g_return_if_fail (PAS_IS_GTK_INTERACTION (self));

  g_ptr_array_set_size (self->pending, 0);
}

/* ---- dialog plumbing ---------------------------------------------------- */

/* GTK 4.8 crashes when a focused GtkPasswordEntry goes away with its
 * window: every dialog here drops its focus first, while all is alive. */
static void
drop_focus_cb (PasAlert   *dialog,
               const char *response,
               gpointer    user_data)
{
  pas_alert_drop_focus (dialog);
}

static PasAlert *
new_dialog (PasGtkInteraction *self,
            const char        *heading,
            const char        *body)
{
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&self->parent);
  PasAlert *dialog = pas_alert_new (GTK_WIDGET (parent), heading, body);

  pas_alert_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (drop_focus_cb), NULL);
  return dialog;
}

static void
cancelled_cb (GCancellable *cancellable,
              PasAlert     *dialog)
{
  /* Closing answers with the close response, "cancel". */
  pas_alert_close (dialog);
}

/* The engine may give up on a question (a timeout, a cancelled connect):
 * the dialog then goes away by itself. */
static void
present (PasAlert *dialog,
         GTask    *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancelled_cb), dialog, 0);
  pas_alert_present (dialog);
}

/* Never wrapped: Pango marks a break inside a word with a hyphen that is
 * not in the text, on the one line people compare character by character
 * with `ssh-keygen -l`. The dialog grows to the fingerprint's width. */
static GtkWidget *
monospace_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

/* ---- host keys ---------------------------------------------------------- */

static void
host_key_response_cb (PasAlert   *dialog,
                      const char *response,
                      GTask      *task)
{
  PasHostKeyDecision decision = PAS_HOST_KEY_DECISION_REJECT;

  if (g_strcmp0 (response, "save") == 0)
    decision = PAS_HOST_KEY_DECISION_ACCEPT_AND_SAVE;
  else if (g_strcmp0 (response, "once") == 0)
    decision = PAS_HOST_KEY_DECISION_ACCEPT_ONCE;
  g_task_return_int (task, decision);
  g_object_unref (task);
}

static void
ask_host_key_async (PasInteraction        *interaction,
                    const PasHostKeyQuery *query,
                    GCancellable          *cancellable,
                    GAsyncReadyCallback    callback,
                    gpointer               user_data)
{
  PasGtkInteraction *self = PAS_GTK_INTERACTION (interaction);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *server = query->port == 22 ? g_strdup (query->host)
                                              : g_strdup_printf ("[%s]:%u", query->host, query->port);
  g_autofree char *body = NULL;
  g_autofree char *type = NULL;
  PasAlert *dialog;
  GtkWidget *grid;
  GtkWidget *label;

  if (query->status == PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) query->known_types);
      /* Translators: %s is a server, then a list of key types such as ssh-ed25519 */
      body = g_strdup_printf (_("%s offers a key of a type not on file for it (on file: %s). "
                                "Accept it only if the server’s administrator confirms this fingerprint."),
                              server, known);
      dialog = new_dialog (self, _("New Key Type for This Server"), body);
    }
  else
    {
      /* Translators: %s is a server such as example.com or [example.com]:2222 */
      body = g_strdup_printf (_("Passerelle has never connected to %s. Compare the fingerprint below "
                                "with the one the server’s administrator gives you before you accept it."),
                              server);
      dialog = new_dialog (self, _("Unknown Server"), body);
    }

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  label = gtk_label_new (_("Key type"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  if (pas_host_key_get_bits (query->key) > 0)
    /* Translators: a key type and its size, e.g. "RSA, 4096 bits" */
    type = g_strdup_printf (_("%s, %u bits"), pas_host_key_get_display_type (query->key),
                            pas_host_key_get_bits (query->key));
  else
    type = g_strdup (pas_host_key_get_display_type (query->key));
  label = gtk_label_new (type);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_grid_attach (GTK_GRID (grid), label, 1, 0, 1, 1);
  /* The fingerprint on a line of its own, under its caption: the dialog
   * fits a narrow window without breaking it. */
  label = gtk_label_new (_("Fingerprint"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), pas_fingerprint_new (query->fingerprint, _("Copy the Fingerprint")), 0, 2, 2, 1);
  label = monospace_label (query->randomart);
  gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (label, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Key picture (randomart)"), -1);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 3, 2, 1);
  pas_alert_set_extra_child (dialog, grid);

  pas_alert_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "once", _("Connect _Once"),
                                    "save", _("_Accept and Remember"),
                                    NULL);
  pas_alert_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  /* Enter must not accept a key nobody has looked at. */
  pas_alert_set_default_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (host_key_response_cb), task);
  present (dialog, task);
}

static PasHostKeyDecision
ask_host_key_finish (PasInteraction *interaction,
                     GAsyncResult   *result,
                     GError        **error)
{
  return (PasHostKeyDecision) g_task_propagate_int (G_TASK (result), error);
}

/* ---- passwords and passphrases ------------------------------------------ */

typedef struct _SecretAsk SecretAsk;

struct _SecretAsk
{
  PasGtkInteraction *self;
  GTask             *task;
  GtkEditable       *entry;
  GtkCheckButton    *remember;
  PendingSecret     *identity;   /* what the secret is for (its secret unset) */
  char              *message;    /* (nullable) why it is asked again */
  void             (*show) (SecretAsk *ask);   /* the dialog, when the keyring has nothing */
};

static void
secret_ask_free (SecretAsk *ask)
{
  g_clear_pointer (&ask->identity, pending_secret_free);
  g_free (ask->message);
  g_free (ask);
}

static void
secret_response_cb (PasAlert   *dialog,
                    const char *response,
                    SecretAsk  *ask)
{
  g_autoptr(GTask) task = ask->task;

  if (g_strcmp0 (response, "connect") != 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("You cancelled the login"));
  else
    {
      const char *text = gtk_editable_get_text (ask->entry);

      if (gtk_check_button_get_active (ask->remember))
        {
          ask->identity->secret = pas_secret_dup (text);
          g_ptr_array_add (ask->self->pending, g_steal_pointer (&ask->identity));
        }
      g_task_return_pointer (task, pas_secret_dup (text), (GDestroyNotify) pas_secret_free);
      /* Don't leave the secret in the entry's buffer. */
      gtk_editable_set_text (ask->entry, "");
    }
  secret_ask_free (ask);
}

static void
ask_secret (SecretAsk  *ask,
            const char *heading,
            const char *body,
            const char *entry_label)
{
  PasAlert *dialog = new_dialog (ask->self, heading, body);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, entry_label, -1);
  gtk_widget_set_name (entry, "secret");
  ask->entry = GTK_EDITABLE (entry);
  ask->remember = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_Remember in keyring")));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ask->remember));
  pas_alert_set_extra_child (dialog, box);
  pas_alert_add_responses (dialog, "cancel", _("_Cancel"), "connect", _("C_onnect"), NULL);
  pas_alert_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (dialog, "connect");
  g_signal_connect (dialog, "response", G_CALLBACK (secret_response_cb), ask);
  present (dialog, ask->task);
  gtk_widget_grab_focus (entry);
}

static void
show_password_dialog (SecretAsk *ask)
{
  /* Translators: user@host; the address goes in the body, as a heading must fit on one line */
  g_autofree char *who = g_strdup_printf (_("For %s@%s"), ask->identity->user, ask->identity->host);
  g_autofree char *body = ask->message != NULL ? g_strdup_printf ("%s\n%s", who, ask->message) : g_strdup (who);

  ask_secret (ask, _("Password Required"), body, _("Password"));
}

/* The keyring answered: its secret (@found, taken), or the dialog. */
static void
looked_up (SecretAsk *ask,
           char      *found)
{
  if (found != NULL)
    {
      g_task_return_pointer (ask->task, found, (GDestroyNotify) pas_secret_free);
      g_object_unref (ask->task);
      secret_ask_free (ask);
      return;
    }
  ask->show (ask);
}

static void
password_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  looked_up (user_data, pas_keyring_lookup_password_finish (result));
}

static void
passphrase_lookup_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  looked_up (user_data, pas_keyring_lookup_passphrase_finish (result));
}

static void
ask_password_async (PasInteraction         *interaction,
                    const PasPasswordQuery *query,
                    GCancellable           *cancellable,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  SecretAsk *ask = g_new0 (SecretAsk, 1);

  ask->self = PAS_GTK_INTERACTION (interaction);
  ask->task = g_task_new (interaction, cancellable, callback, user_data);
  ask->identity = g_new0 (PendingSecret, 1);
  ask->identity->host = g_strdup (query->host);
  ask->identity->port = query->port;
  ask->identity->user = g_strdup (query->user);
  ask->message = g_strdup (query->message);
  ask->show = show_password_dialog;

  g_debug ("password asked for %s@%s:%u (try %u)", query->user, query->host, query->port, query->attempt);
  /* A password typed in the form, else the keyring, answers the first try
   * only: a refused password is asked again. */
  if (query->attempt == 1 && ask->self->password != NULL)
    {
      g_task_return_pointer (ask->task, pas_secret_dup (ask->self->password), (GDestroyNotify) pas_secret_free);
      g_object_unref (ask->task);
      secret_ask_free (ask);
    }
  else if (query->attempt == 1)
    pas_keyring_lookup_password_async (query->host, query->port, query->user, cancellable,
                                       password_lookup_cb, ask);
  else
    show_password_dialog (ask);
}

static char *
ask_secret_finish (PasInteraction *interaction,
                   GAsyncResult   *result,
                   GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
show_passphrase_dialog (SecretAsk *ask)
{
  /* Translators: %s is a key file's path such as ~/.ssh/id_ed25519 */
  g_autofree char *which = g_strdup_printf (_("For the key %s"), ask->identity->key_path);
  g_autofree char *body = ask->message != NULL ? g_strdup_printf ("%s\n%s", which, ask->message) : g_strdup (which);

  ask_secret (ask, _("Key Passphrase Required"), body, _("Passphrase"));
}

static void
ask_passphrase_async (PasInteraction           *interaction,
                      const PasPassphraseQuery *query,
                      GCancellable             *cancellable,
                      GAsyncReadyCallback       callback,
                      gpointer                  user_data)
{
  SecretAsk *ask = g_new0 (SecretAsk, 1);

  ask->self = PAS_GTK_INTERACTION (interaction);
  ask->task = g_task_new (interaction, cancellable, callback, user_data);
  ask->identity = g_new0 (PendingSecret, 1);
  ask->identity->key_path = g_strdup (query->key_path);
  ask->identity->key_id = g_strdup (query->fingerprint != NULL ? query->fingerprint : query->key_path);
  ask->message = g_strdup (query->message);
  ask->show = show_passphrase_dialog;

  if (query->attempt == 1)
    pas_keyring_lookup_passphrase_async (ask->identity->key_id, cancellable, passphrase_lookup_cb, ask);
  else
    show_passphrase_dialog (ask);
}

/* ---- keyboard-interactive ------------------------------------------------ */

static void
prompts_response_cb (PasAlert   *dialog,
                     const char *response,
                     GTask      *task)
{
  GPtrArray *entries = g_object_get_data (G_OBJECT (dialog), "pas-entries");

  if (g_strcmp0 (response, "connect") != 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("You cancelled the login"));
  else
    {
      char **answers = g_new0 (char *, entries->len + 1);

      for (guint i = 0; i < entries->len; i++)
        {
          GtkEditable *entry = g_ptr_array_index (entries, i);

          answers[i] = pas_secret_dup (gtk_editable_get_text (entry));
          gtk_editable_set_text (entry, "");
        }
      g_task_return_pointer (task, answers, NULL);
    }
  g_object_unref (task);
}

static void
ask_prompts_async (PasInteraction        *interaction,
                   const PasPromptsQuery *query,
                   GCancellable          *cancellable,
                   GAsyncReadyCallback    callback,
                   gpointer               user_data)
{
  g_debug ("keyboard-interactive round %u for %s@%s", query->round, query->user, query->host);
  PasGtkInteraction *self = PAS_GTK_INTERACTION (interaction);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *body = NULL;
  GPtrArray *entries = g_ptr_array_new ();
  PasAlert *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  /* The server's own title and instructions (any length) go in the body;
   * the heading is ours and fits on one line. */
  {
    GString *text = g_string_new (NULL);

    /* Translators: user@host */
    g_string_append_printf (text, _("For %s@%s"), query->user, query->host);
    if (query->name != NULL && query->name[0] != '\0')
      g_string_append_printf (text, "\n%s", query->name);
    if (query->instruction != NULL && query->instruction[0] != '\0')
      g_string_append_printf (text, "\n%s", query->instruction);
    body = g_string_free (text, FALSE);
  }
  dialog = new_dialog (self, _("Server Login"), body);

  for (guint i = 0; query->prompts[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (query->prompts[i]);
      GtkWidget *entry = query->echo[i] ? gtk_entry_new () : gtk_password_entry_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      g_object_set (entry, "activates-default", TRUE, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      query->prompts[i], -1);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), entry);
      g_ptr_array_add (entries, entry);
    }
  g_object_set_data_full (G_OBJECT (dialog), "pas-entries", entries, (GDestroyNotify) g_ptr_array_unref);
  pas_alert_set_extra_child (dialog, box);
  pas_alert_add_responses (dialog, "cancel", _("_Cancel"), "connect", _("C_ontinue"), NULL);
  pas_alert_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (dialog, "connect");
  g_signal_connect (dialog, "response", G_CALLBACK (prompts_response_cb), task);
  present (dialog, task);
}

static char **
ask_prompts_finish (PasInteraction *interaction,
                    GAsyncResult   *result,
                    GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- conflicts ------------------------------------------------------------ */

static char *
describe (guint64 size,
          gint64  mtime)
{
  g_autofree char *shown_size = g_format_size (size);
  g_autoptr(GDateTime) when = mtime > 0 ? g_date_time_new_from_unix_local (mtime) : NULL;
  g_autofree char *shown_time = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : NULL;

  if (shown_time == NULL)
    return g_steal_pointer (&shown_size);
  /* Translators: a file's size and modification time, e.g. "12.3 MB, 2026-11-22 10:15" */
  return g_strdup_printf (_("%s, %s"), shown_size, shown_time);
}

static void
conflict_response_cb (PasAlert   *dialog,
                      const char *response,
                      GTask      *task)
{
  GtkCheckButton *all = g_object_get_data (G_OBJECT (dialog), "pas-all");
  static const struct { const char *id; PasConflictPolicy policy; } map[] = {
    { "overwrite", PAS_CONFLICT_OVERWRITE },
    { "skip", PAS_CONFLICT_SKIP },
    { "resume", PAS_CONFLICT_RESUME },
    { "rename", PAS_CONFLICT_RENAME },
    { "newer", PAS_CONFLICT_NEWER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (response, map[i].id) == 0)
      {
        g_task_return_int (task, map[i].policy | (gtk_check_button_get_active (all) ? PAS_CONFLICT_FOR_ALL : 0));
        g_object_unref (task);
        return;
      }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("You stopped the transfer"));
  g_object_unref (task);
}

static void
ask_conflict_async (PasInteraction         *interaction,
                    const PasConflictQuery *query,
                    GCancellable           *cancellable,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  PasGtkInteraction *self = PAS_GTK_INTERACTION (interaction);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *base = g_path_get_basename (query->name);
  g_autofree char *source = describe (query->source_size, query->source_mtime);
  g_autofree char *target = describe (query->target_size, query->target_mtime);
  g_autofree char *body = NULL;
  PasAlert *dialog;
  GtkWidget *all;

  /* Translators: the file's name, where it goes, then the existing file's size and date, then the incoming one's */
  body = g_strdup_printf (_("“%s”\nDestination: %s\nExisting: %s\nIncoming: %s"), base, query->destination, target,
                          source);
  dialog = new_dialog (self, _("File Already Exists"), body);
  all = gtk_check_button_new_with_mnemonic (_("Apply to _all conflicts of this transfer"));
  g_object_set_data (G_OBJECT (dialog), "pas-all", all);
  pas_alert_set_extra_child (dialog, all);
  pas_alert_add_responses (dialog,
                                    "cancel", _("_Stop"),
                                    "skip", _("_Skip"),
                                    "rename", _("_Keep Both"),
                                    "newer", _("If _Newer"),
                                    NULL);
  if (query->can_resume)
    pas_alert_add_response (dialog, "resume", _("_Resume"));
  pas_alert_add_response (dialog, "overwrite", _("_Replace"));
  pas_alert_set_response_appearance (dialog, "overwrite", ADW_RESPONSE_DESTRUCTIVE);
  pas_alert_set_default_response (dialog, "skip");
  g_signal_connect (dialog, "response", G_CALLBACK (conflict_response_cb), task);
  present (dialog, task);
}

static PasConflictPolicy
ask_conflict_finish (PasInteraction *interaction,
                     GAsyncResult   *result,
                     gboolean       *apply_to_all,
                     GError        **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  if (value < 0)
    return PAS_CONFLICT_SKIP;
  if (apply_to_all != NULL)
    *apply_to_all = (value & PAS_CONFLICT_FOR_ALL) != 0;
  return (PasConflictPolicy) (value & ~PAS_CONFLICT_FOR_ALL);
}

/* ---- GObject -------------------------------------------------------------- */

static void
pas_gtk_interaction_finalize (GObject *object)
{
  PasGtkInteraction *self = PAS_GTK_INTERACTION (object);

  g_weak_ref_clear (&self->parent);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->password, pas_secret_free);

  G_OBJECT_CLASS (pas_gtk_interaction_parent_class)->finalize (object);
}

static void
pas_gtk_interaction_class_init (PasGtkInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PasInteractionClass *interaction_class = PAS_INTERACTION_CLASS (klass);

  object_class->finalize = pas_gtk_interaction_finalize;

  interaction_class->ask_host_key_async = ask_host_key_async;
  interaction_class->ask_host_key_finish = ask_host_key_finish;
  interaction_class->ask_password_async = ask_password_async;
  interaction_class->ask_password_finish = ask_secret_finish;
  interaction_class->ask_passphrase_async = ask_passphrase_async;
  interaction_class->ask_passphrase_finish = ask_secret_finish;
  interaction_class->ask_prompts_async = ask_prompts_async;
  interaction_class->ask_prompts_finish = ask_prompts_finish;
  interaction_class->ask_conflict_async = ask_conflict_async;
  interaction_class->ask_conflict_finish = ask_conflict_finish;
}

/* The answer to the first password question, typed before connecting
 * (NULL: the keyring's, else a dialog). */
void
pas_gtk_interaction_set_password (PasGtkInteraction *self,
                                  const char        *password)
{
  g_return_if_fail (PAS_IS_GTK_INTERACTION (self));

  g_clear_pointer (&self->password, pas_secret_free);
  self->password = password != NULL && password[0] != '\0' ? pas_secret_dup (password) : NULL;
}

static void
pas_gtk_interaction_init (PasGtkInteraction *self)
{
  g_weak_ref_init (&self->parent, NULL);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_secret_free);
}
