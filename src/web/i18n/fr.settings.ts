import type { Catalog } from './en.js';

/** The Settings page in Français (`settings.`), part of `fr` (fr.ts). */
export const frSettings: Catalog = {
  'settings.adminsOnly':
    'Les paramètres sont réservés aux administrateurs de {workspace} ; votre rôle : {role}.',
  'settings.members': 'Membres',
  'settings.role': 'Rôle',
  'settings.lastSignIn': 'Dernière connexion',
  'settings.roleOf': 'Rôle de {email}',
  'settings.cannotRemoveSelf': 'Vous ne pouvez pas vous retirer vous-même',
  'settings.confirmRemove': 'Retirer {email} de {workspace} ?',
  'settings.remove': 'Retirer',
  'settings.password': 'Mot de passe (nouveaux utilisateurs ; vide : mot de passe à usage unique)',
  'settings.addMember': 'Ajouter le membre',
  'settings.added': '{email} ajouté.',
  'settings.oneTime': 'Mot de passe à usage unique (affiché une seule fois) :',
  'settings.keys': 'Clés',
  'settings.keysHint':
    'Les clés d’écriture envoient les événements des sites web (publiques par nature) ; les clés de lecture lisent l’API JSON ; les jetons permettent à des scripts de faire des modifications, en tant qu’éditeur ou administrateur. Seule l’empreinte d’une clé est conservée : elle n’est affichée qu’une fois.',
  'settings.prefix': 'Préfixe',
  'settings.kind': 'Type',
  'settings.created': 'Créée',
  'settings.lastUsed': 'Dernière utilisation',
  'settings.revoked': 'Révoquée',
  'settings.confirmRevoke':
    'Révoquer {prefix}… ? Les requêtes qui l’utilisent seront refusées immédiatement.',
  'settings.revoke': 'Révoquer',
  'settings.kind.read': 'lecture',
  'settings.kind.write': 'écriture',
  'settings.kind.token': 'jeton',
  'settings.kindHint.read': 'lecture (API JSON)',
  'settings.kindHint.write': 'écriture (suivi)',
  'settings.kindHint.token': 'jeton (scripts)',
  'settings.createKey': 'Créer la clé',
  'settings.newKey': 'Nouvelle clé ({kind}), affichée une seule fois, copiez-la maintenant :',
  'settings.webhooks': 'Webhooks d’alerte',
  'settings.webhooksHint': 'Quand le statut d’un objectif change, il est envoyé (JSON) à chacune de ces URL.',
  'settings.noWebhook': 'Aucun webhook pour l’instant.',
  'settings.url': 'URL',
  'settings.addWebhook': 'Ajouter le webhook',
  'settings.rules': 'Règles de canaux',
  'settings.rulesHint':
    'Essayées dans l’ordre avant les groupes par défaut de GA4 ; la première qui correspond nomme le canal. Les conditions correspondent exactement (sans tenir compte de la casse) ou en {regex}. YAML ou JSON.',
  'settings.rulesField': 'Règles',
  'settings.saveRules': 'Enregistrer les règles',
  'settings.line': 'ligne {line} :',
  'settings.rulesSaved':
    'Enregistré : les données suivies ou importées à partir de maintenant sont regroupées selon ces règles.',
};
