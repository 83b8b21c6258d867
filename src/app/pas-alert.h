#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An alert (a heading, a body, an optional extra child and response
 * buttons): an AdwAlertDialog where libadwaita has replaced AdwMessageDialog
 * with it (1.6 and later: the Flatpak, Debian 13), an AdwMessageDialog on
 * older libadwaita (Debian 12's 1.2). Both have the same "response" signal,
 * void cb (PasAlert *alert, const char *response, gpointer data), and the
 * same semantics: any response, or Escape (the close response), closes it.
 *
 * Why: under GTK 4.18 the deprecated AdwMessageDialog measures its heading
 * label below that label's minimum width for almost any heading (a warning
 * per dialog, fatal in the tests; reproduced with a ten-line program), and
 * AdwAlertDialog does so only for a heading that does not fit on one line —
 * so headings are kept short, and names and addresses go in the body. */
typedef GtkWidget PasAlert;

#define PAS_TYPE_ALERT (pas_alert_get_type ())
#define PAS_ALERT(obj) ((PasAlert *) G_TYPE_CHECK_INSTANCE_CAST ((obj), PAS_TYPE_ALERT, GtkWidget))
#define PAS_IS_ALERT(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), PAS_TYPE_ALERT))

GType       pas_alert_get_type                (void) G_GNUC_CONST;
PasAlert   *pas_alert_new                     (GtkWidget             *parent,
                                               const char            *heading,
                                               const char            *body);
void        pas_alert_present                 (PasAlert              *self);
void        pas_alert_close                   (PasAlert              *self);
void        pas_alert_drop_focus              (PasAlert              *self);
/* Closes @window once the alert answering now is gone: closing an alert's
 * parent from inside its "response" crashed GTK 4.8 (the alert, still
 * transient for the window, was finalized after it). */
void        pas_alert_close_window_later      (GtkWindow             *window);
const char *pas_alert_get_heading             (PasAlert              *self);
const char *pas_alert_get_body                (PasAlert              *self);
void        pas_alert_set_body                (PasAlert              *self,
                                               const char            *body);
void        pas_alert_set_extra_child         (PasAlert              *self,
                                               GtkWidget             *child);
GtkWidget  *pas_alert_get_extra_child         (PasAlert              *self);
void        pas_alert_add_response            (PasAlert              *self,
                                               const char            *id,
                                               const char            *label);
void        pas_alert_add_responses           (PasAlert              *self,
                                               const char            *first_id,
                                               ...) G_GNUC_NULL_TERMINATED;
gboolean    pas_alert_has_response            (PasAlert              *self,
                                               const char            *id);
const char *pas_alert_get_response_label      (PasAlert              *self,
                                               const char            *id);
void        pas_alert_set_response_appearance (PasAlert              *self,
                                               const char            *id,
                                               AdwResponseAppearance  appearance);
void        pas_alert_set_response_enabled    (PasAlert              *self,
                                               const char            *id,
                                               gboolean               enabled);
gboolean    pas_alert_get_response_enabled    (PasAlert              *self,
                                               const char            *id);
void        pas_alert_set_default_response   (PasAlert              *self,
                                               const char            *id);
const char *pas_alert_get_default_response    (PasAlert              *self);
void        pas_alert_set_close_response      (PasAlert              *self,
                                               const char            *id);

G_END_DECLS
