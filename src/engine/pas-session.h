#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PAS_TYPE_SESSION (pas_session_get_type ())

G_DECLARE_FINAL_TYPE (PasSession, pas_session, PAS, SESSION, GObject)

/* A saved session (a bookmark). Every field is a GObject property of the
 * same name, so the editor can bind to it. Never holds a secret: passwords
 * and passphrases live in the keyring (PasSecret…). */
typedef enum
{
  PAS_AUTH_AUTO,                  /* agent, keys, keyboard-interactive, password: what the server allows */
  PAS_AUTH_PASSWORD,
  PAS_AUTH_KEY,
  PAS_AUTH_AGENT,
  PAS_AUTH_KEYBOARD_INTERACTIVE,
} PasAuthMethod;

PasSession    *pas_session_new               (void);
PasSession    *pas_session_copy              (PasSession  *self);
/* A stable identifier, made when the session is created. */
const char    *pas_session_get_id            (PasSession  *self);
const char    *pas_session_get_name          (PasSession  *self);
const char    *pas_session_get_folder        (PasSession  *self);
const char    *pas_session_get_host          (PasSession  *self);
guint          pas_session_get_port          (PasSession  *self);
const char    *pas_session_get_user          (PasSession  *self);
PasAuthMethod  pas_session_get_auth          (PasSession  *self);
const char    *pas_session_get_key_file      (PasSession  *self);
const char    *pas_session_get_remote_folder (PasSession  *self);
const char    *pas_session_get_local_folder  (PasSession  *self);
const char    *pas_session_get_sftp_server   (PasSession  *self);
/* Jump hosts, as ssh's ProxyJump: "[user@]host[:port][,…]", or "none"
 * to go direct even when ~/.ssh/config names one. NULL: as ssh_config says. */
const char    *pas_session_get_jump          (PasSession  *self);
guint          pas_session_get_keepalive     (PasSession  *self);
guint          pas_session_get_connect_timeout (PasSession *self);
const char    *pas_session_get_notes         (PasSession  *self);

/* Reads the group @group of @file; FALSE with an error naming what is wrong
 * (a bad port, a missing host…). */
gboolean       pas_session_load              (PasSession  *self,
                                              GKeyFile    *file,
                                              const char  *group,
                                              GError     **error);
void           pas_session_save              (PasSession  *self,
                                              GKeyFile    *file,
                                              const char  *group);

G_END_DECLS
