#define G_LOG_DOMAIN "passerelle-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-cli.h"

/* An address of the command line, sftp://[user@]host[:port]/path or
 * [user@]NAME:path (NAME a saved session, a Host of ssh_config or any host
 * name, as scp allows), made into a destination by the engine's resolver:
 * the same rules as the window's (pas-resolver.h), with -i, -F,
 * --known-hosts and --jump as the explicit options. */

void
pas_cli_target_free (PasCliTarget *target)
{
  if (target == NULL)
    return;
  g_clear_pointer (&target->destination, pas_destination_unref);
  g_free (target->path);
  g_free (target);
}

static PasResolver *
resolver_for (Cli *cli)
{
  if (cli->resolver == NULL)
    {
      g_autoptr(PasSessionStore) store = pas_session_store_new (NULL);

      cli->resolver = pas_resolver_new ();
      pas_resolver_set_ssh_config (cli->resolver, cli->ssh_config);
      pas_resolver_set_identity_files (cli->resolver, (const char * const *) cli->identities);
      pas_resolver_set_known_hosts (cli->resolver, cli->known_hosts);
      pas_resolver_set_jump (cli->resolver, cli->jump);
      /* A damaged sessions file is reported by the app; here the names
       * that could be read still count. */
      pas_session_store_load (store, NULL);
      pas_resolver_set_sessions (cli->resolver, store);
    }
  return cli->resolver;
}

PasCliTarget *
pas_cli_target_parse (Cli        *cli,
                      const char *arg,
                      GError    **error)
{
  g_autoptr(PasAddress) address = pas_address_parse_cli (arg, error);
  PasDestination *destination;
  PasCliTarget *target;

  if (address == NULL)
    return NULL;
  destination = pas_resolver_resolve (resolver_for (cli), address, error);
  if (destination == NULL)
    return NULL;
  target = g_new0 (PasCliTarget, 1);
  target->destination = destination;
  target->path = g_strdup (pas_destination_get_remote_folder (destination));
  return target;
}

gboolean
pas_cli_target_same_server (const PasCliTarget *a,
                            const PasCliTarget *b)
{
  return g_strcmp0 (pas_destination_get_key (a->destination), pas_destination_get_key (b->destination)) == 0;
}
