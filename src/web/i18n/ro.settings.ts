import type { Catalog } from './en.js';

/** The Settings page in Română (`settings.`), part of `ro` (ro.ts). */
export const roSettings: Catalog = {
  'settings.adminsOnly':
    'Setările sunt doar pentru administratorii spațiului {workspace}; rolul dvs.: {role}.',
  'settings.members': 'Membri',
  'settings.role': 'Rol',
  'settings.lastSignIn': 'Ultima autentificare',
  'settings.roleOf': 'Rolul lui {email}',
  'settings.cannotRemoveSelf': 'Nu vă puteți elimina pe dvs.',
  'settings.confirmRemove': 'Eliminați {email} din {workspace}?',
  'settings.remove': 'Elimină',
  'settings.password': 'Parolă (utilizatori noi; goală: o parolă de unică folosință)',
  'settings.addMember': 'Adaugă membrul',
  'settings.added': '{email} a fost adăugat.',
  'settings.oneTime': 'Parolă de unică folosință (afișată o singură dată):',
  'settings.keys': 'Chei',
  'settings.keysHint':
    'Cheile de scriere trimit evenimente de pe site-uri (publice prin natura lor); cheile de citire citesc API-ul JSON; tokenurile permit scripturilor să facă modificări, ca editor sau administrator. Se stochează doar hash-ul cheii: este afișată o singură dată.',
  'settings.prefix': 'Prefix',
  'settings.kind': 'Tip',
  'settings.created': 'Creată',
  'settings.lastUsed': 'Ultima utilizare',
  'settings.revoked': 'Revocată',
  'settings.confirmRevoke': 'Revocați {prefix}…? Cererile cu această cheie vor fi refuzate imediat.',
  'settings.revoke': 'Revocă',
  'settings.kind.read': 'citire',
  'settings.kind.write': 'scriere',
  'settings.kind.token': 'token',
  'settings.kindHint.read': 'citire (API JSON)',
  'settings.kindHint.write': 'scriere (urmărire)',
  'settings.kindHint.token': 'token (scripturi)',
  'settings.createKey': 'Creează cheia',
  'settings.newKey': 'Cheie nouă ({kind}), afișată o singură dată, copiați-o acum:',
  'settings.webhooks': 'Webhook-uri de alertă',
  'settings.webhooksHint':
    'Când starea unei ținte se schimbă, aceasta este trimisă (JSON) la fiecare dintre aceste URL-uri.',
  'settings.noWebhook': 'Încă nu există webhook-uri.',
  'settings.url': 'URL',
  'settings.addWebhook': 'Adaugă webhook',
  'settings.rules': 'Reguli pentru canale',
  'settings.rulesHint':
    'Încercate în ordine înaintea grupurilor implicite GA4; prima potrivire dă numele canalului. Condițiile se potrivesc exact (fără a ține cont de majuscule) sau ca {regex}. YAML sau JSON.',
  'settings.rulesField': 'Reguli',
  'settings.saveRules': 'Salvează regulile',
  'settings.line': 'linia {line}:',
  'settings.rulesSaved':
    'Salvat: datele urmărite sau importate de acum înainte sunt grupate după aceste reguli.',
};
