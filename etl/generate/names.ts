import type { Rng } from './random';

/** Name pools for people and companies, by country, so that the demo reads like a real customer list. */

const FIRST: Record<string, readonly string[]> = {
  default: ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Jamie', 'Robin', 'Chris', 'Dana'],
  US: ['Emily', 'Michael', 'Sarah', 'David', 'Jessica', 'James', 'Ashley', 'Robert', 'Megan', 'Daniel', 'Olivia', 'Ethan'],
  GB: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Poppy', 'Jack', 'Freya', 'Charlie', 'Imogen'],
  DE: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Hannah', 'Maximilian', 'Sophie', 'Tobias', 'Katrin'],
  FR: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Julien', 'Manon', 'Antoine', 'Inès', 'Mathieu'],
  NL: ['Daan', 'Sanne', 'Bram', 'Lotte', 'Joris', 'Fleur', 'Thijs', 'Anouk', 'Sem', 'Eva'],
  AU: ['Jack', 'Charlotte', 'Noah', 'Mia', 'Liam', 'Ruby', 'Cooper', 'Matilda', 'Lachlan', 'Zoe'],
  IN: ['Aarav', 'Priya', 'Rohan', 'Ananya', 'Vikram', 'Kavya', 'Arjun', 'Sneha', 'Rahul', 'Divya'],
  BR: ['João', 'Ana', 'Pedro', 'Mariana', 'Lucas', 'Beatriz', 'Gabriel', 'Larissa', 'Rafael', 'Camila'],
  MX: ['José', 'María', 'Diego', 'Fernanda', 'Carlos', 'Valeria', 'Luis', 'Daniela', 'Jorge', 'Sofía'],
  ZA: ['Thabo', 'Naledi', 'Sipho', 'Lerato', 'Pieter', 'Anele', 'Johan', 'Zanele', 'Kagiso', 'Lindiwe'],
  ID: ['Budi', 'Siti', 'Agus', 'Dewi', 'Andi', 'Putri', 'Rizky', 'Ayu', 'Hendra', 'Wulan'],
};

const LAST: Record<string, readonly string[]> = {
  default: ['Lee', 'Kim', 'Novak', 'Silva', 'Khan', 'Garcia', 'Müller', 'Smith', 'Rossi', 'Cohen'],
  US: ['Johnson', 'Williams', 'Brown', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Thompson', 'Martinez', 'Clark'],
  GB: ['Smith', 'Jones', 'Taylor', 'Evans', 'Walker', 'Wright', 'Hughes', 'Edwards', 'Turner', 'Hall'],
  DE: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Koch'],
  FR: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'],
  NL: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'de Boer'],
  AU: ['Smith', 'Nguyen', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Martin', 'Anderson', 'White', 'Kelly'],
  IN: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Gupta', 'Nair', 'Singh', 'Rao', 'Mehta', 'Kulkarni'],
  BR: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Lima', 'Pereira', 'Costa', 'Almeida', 'Ferreira', 'Rodrigues'],
  MX: ['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Flores'],
  ZA: ['Nkosi', 'Dlamini', 'van der Merwe', 'Botha', 'Mokoena', 'Naidoo', 'Khumalo', 'Pretorius', 'Mthembu', 'Ndlovu'],
  ID: ['Santoso', 'Wijaya', 'Pratama', 'Saputra', 'Hidayat', 'Kusuma', 'Halim', 'Susanto', 'Gunawan', 'Lestari'],
};

const COMPANY_FIRST: Record<string, readonly string[]> = {
  default: ['Northwind', 'Bluewater', 'Summit', 'Evergreen', 'Harbor', 'Silverline', 'Redwood', 'Granite', 'Brightpath', 'Cedar', 'Ironbridge', 'Lakeside', 'Pinnacle', 'Keystone', 'Meridian', 'Oakridge', 'Riverbend', 'Skyline', 'Westbrook', 'Crescent'],
  DE: ['Alpen', 'Rhein', 'Nordlicht', 'Bergland', 'Elbe', 'Schwarzwald', 'Isar', 'Hanse', 'Donau', 'Weser'],
  FR: ['Atlantique', 'Lumière', 'Provence', 'Horizon', 'Bretagne', 'Azur', 'Seine', 'Mistral', 'Loire', 'Étoile'],
  NL: ['Polder', 'Delta', 'Tulp', 'Noordzee', 'Grachten', 'Molen', 'Zuiderzee', 'Duin', 'Haven', 'Oranje'],
  BR: ['Sol Nascente', 'Horizonte', 'Ipê', 'Serra Azul', 'Atlântico', 'Cerrado', 'Aurora', 'Vale Verde', 'Pampa', 'Guanabara'],
  MX: ['Altavista', 'Sierra Madre', 'Río Bravo', 'Maya', 'Azteca', 'Pacífico', 'Cumbre', 'Jalisco', 'Bajío', 'Sonora'],
  ZA: ['Table Mountain', 'Highveld', 'Karoo', 'Protea', 'Limpopo', 'Drakensberg', 'Cape', 'Savanna', 'Umhlanga', 'Baobab'],
  ID: ['Nusantara', 'Garuda', 'Merapi', 'Borneo', 'Cendana', 'Samudra', 'Rajawali', 'Mahakam', 'Bintang', 'Kencana'],
  IN: ['Sahyadri', 'Ganga', 'Deccan', 'Indus', 'Himalaya', 'Kaveri', 'Sapphire', 'Lotus', 'Aravali', 'Vindhya'],
};

const INDUSTRY: readonly string[] = [
  'Logistics', 'Health', 'Engineering', 'Retail', 'Foods', 'Legal', 'Energy', 'Manufacturing', 'Consulting', 'Finance',
  'Construction', 'Pharma', 'Media', 'Travel', 'Insurance', 'Automotive', 'Property', 'Dental', 'Architects', 'Systems',
];

const SUFFIX: Record<string, readonly string[]> = {
  US: ['Inc.', 'LLC', 'Corp.', 'Group'],
  GB: ['Ltd', 'plc', 'Group Ltd'],
  DE: ['GmbH', 'AG', 'GmbH & Co. KG'],
  FR: ['SAS', 'SA', 'SARL'],
  NL: ['B.V.', 'N.V.'],
  AU: ['Pty Ltd', 'Limited'],
  IN: ['Pvt. Ltd.', 'Limited'],
  BR: ['Ltda.', 'S.A.'],
  MX: ['S.A. de C.V.', 'S. de R.L.'],
  ZA: ['(Pty) Ltd', 'Holdings'],
  ID: ['Tbk', 'Group'],
};

const TLD: Record<string, string> = {
  US: 'com', GB: 'co.uk', DE: 'de', FR: 'fr', NL: 'nl', AU: 'com.au', IN: 'in', BR: 'com.br', MX: 'com.mx', ZA: 'co.za', ID: 'co.id',
};

const pool = <T>(table: Record<string, readonly T[]>, country: string) => table[country] ?? table.default;

export function personName(rng: Rng, country: string): { first: string; last: string } {
  return { first: rng.pick(pool(FIRST, country)), last: rng.pick(pool(LAST, country)) };
}

/** ASCII slug for emails and domains. */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export function companyName(rng: Rng, country: string): string {
  const first = rng.chance(0.6) ? rng.pick(pool(COMPANY_FIRST, country)) : rng.pick(COMPANY_FIRST.default);
  const suffix = pool(SUFFIX, country) ?? SUFFIX.US;
  const name = `${first} ${rng.pick(INDUSTRY)}`;
  if (country === 'ID') return `PT ${name}${rng.chance(0.3) ? ' Tbk' : ''}`;
  return `${name} ${rng.pick(suffix ?? SUFFIX.US)}`;
}

export function companyDomain(rng: Rng, name: string, country: string): string {
  const base = slugify(name.replace(/\b(Inc|LLC|Corp|Group|Ltd|plc|GmbH|AG|Co|KG|SAS|SA|SARL|B\.V|N\.V|Pty|Limited|Pvt|Ltda|S\.A|de C\.V|de R\.L|Holdings|PT|Tbk)\b\.?/g, ''));
  return rng.chance(0.35) ? `${base}.onmicrosoft.com` : `${base}.${TLD[country] ?? 'com'}`;
}

export const PHONE_PREFIX: Record<string, string> = {
  US: '+1', GB: '+44', DE: '+49', FR: '+33', NL: '+31', AU: '+61', IN: '+91', BR: '+55', MX: '+52', ZA: '+27', ID: '+62',
};

export function phone(rng: Rng, country: string): string {
  return `${PHONE_PREFIX[country] ?? '+1'} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(4)}`;
}

export const CITIES: Record<string, readonly [string, string][]> = {
  US: [['Seattle', 'WA'], ['Dallas', 'TX'], ['Chicago', 'IL'], ['Atlanta', 'GA'], ['Boston', 'MA'], ['Denver', 'CO']],
  GB: [['London', 'England'], ['Manchester', 'England'], ['Edinburgh', 'Scotland'], ['Bristol', 'England']],
  DE: [['München', 'Bayern'], ['Berlin', 'Berlin'], ['Hamburg', 'Hamburg'], ['Frankfurt am Main', 'Hessen']],
  FR: [['Paris', 'Île-de-France'], ['Lyon', 'Auvergne-Rhône-Alpes'], ['Toulouse', 'Occitanie'], ['Nantes', 'Pays de la Loire']],
  NL: [['Amsterdam', 'Noord-Holland'], ['Rotterdam', 'Zuid-Holland'], ['Utrecht', 'Utrecht'], ['Eindhoven', 'Noord-Brabant']],
  AU: [['Sydney', 'NSW'], ['Melbourne', 'VIC'], ['Brisbane', 'QLD'], ['Perth', 'WA']],
  IN: [['Bengaluru', 'Karnataka'], ['Mumbai', 'Maharashtra'], ['Pune', 'Maharashtra'], ['Hyderabad', 'Telangana']],
  BR: [['São Paulo', 'SP'], ['Rio de Janeiro', 'RJ'], ['Belo Horizonte', 'MG'], ['Curitiba', 'PR']],
  MX: [['Ciudad de México', 'CDMX'], ['Guadalajara', 'Jalisco'], ['Monterrey', 'Nuevo León'], ['Querétaro', 'Querétaro']],
  ZA: [['Johannesburg', 'Gauteng'], ['Cape Town', 'Western Cape'], ['Durban', 'KwaZulu-Natal'], ['Pretoria', 'Gauteng']],
  ID: [['Jakarta', 'DKI Jakarta'], ['Surabaya', 'Jawa Timur'], ['Bandung', 'Jawa Barat'], ['Medan', 'Sumatera Utara']],
};

export function city(rng: Rng, country: string): [string, string] {
  return rng.pick(CITIES[country] ?? CITIES.US);
}
