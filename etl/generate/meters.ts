/** Azure meters the daily-rated usage file is drawn from: category, names, unit, USD list price, how much a resource uses a day. */
export interface Meter {
  category: string;
  subCategory: string;
  name: string;
  meterType: string;
  unit: string;
  unitType: string;
  /** USD per unit. */
  price: number;
  consumedService: string;
  /** Resource type path for the ResourceURI and a short resource name prefix. */
  resourceType: string;
  prefix: string;
  productName: string;
  skuName: string;
  productId: string;
  /** Typical quantity a resource consumes per day, and whether it is capped at 24 hours. */
  dailyQuantity: number;
  hours?: boolean;
  /** Relative frequency of the meter among resources. */
  weight: number;
  additionalInfo?: string;
}

const vm = (size: string, vcpus: number, price: number, weight: number, os: 'Linux' | 'Windows' = 'Linux'): Meter => ({
  category: 'Virtual Machines',
  subCategory: `${size.split(' ')[0].replace(/\d+/, '')}${size.includes('v5') ? 'v5' : 'v3'} Series${os === 'Windows' ? ' Windows' : ''}`,
  name: size,
  meterType: '1 Compute Hour',
  unit: '1 Hour',
  unitType: 'Hours',
  price,
  consumedService: 'Microsoft.Compute',
  resourceType: 'Microsoft.Compute/virtualMachines',
  prefix: 'vm',
  productName: `Virtual Machines ${size.split(' ')[0].replace(/\d+/, '')} Series${os === 'Windows' ? ' Windows' : ''}`,
  skuName: size,
  productId: 'DZH318Z0BQ4L',
  dailyQuantity: 24,
  hours: true,
  weight,
  additionalInfo: `{"ServiceType":"Standard_${size.replace(/ /g, '_')}","VCPUs":${vcpus},"ImageType":"${os === 'Windows' ? 'Windows Server BYOL' : 'Canonical'}"}`,
});

export const METERS: readonly Meter[] = [
  vm('D2s v3', 2, 0.096, 9),
  vm('D4s v3', 4, 0.192, 6),
  vm('D8s v5', 8, 0.384, 3),
  vm('B2ms', 2, 0.0832, 7),
  vm('E4s v5', 4, 0.252, 3),
  vm('D4s v3', 4, 0.376, 3, 'Windows'),
  {
    category: 'Storage', subCategory: 'Standard SSD Managed Disks', name: 'E10 LRS Disk', meterType: '1 Disk/Month', unit: '1/Month', unitType: 'Months',
    price: 9.6, consumedService: 'Microsoft.Compute', resourceType: 'Microsoft.Compute/disks', prefix: 'disk', productName: 'Standard SSD Managed Disks',
    skuName: 'E10 LRS', productId: 'DZH318Z0BP88', dailyQuantity: 0.032258, weight: 10,
  },
  {
    category: 'Storage', subCategory: 'Premium SSD Managed Disks', name: 'P20 LRS Disk', meterType: '1 Disk/Month', unit: '1/Month', unitType: 'Months',
    price: 73.22, consumedService: 'Microsoft.Compute', resourceType: 'Microsoft.Compute/disks', prefix: 'pdisk', productName: 'Premium SSD Managed Disks',
    skuName: 'P20 LRS', productId: 'DZH318Z0BP5J', dailyQuantity: 0.032258, weight: 3,
  },
  {
    category: 'Storage', subCategory: 'Tiered Block Blob', name: 'Hot LRS Data Stored', meterType: '1 GB/Month', unit: '1 GB/Month', unitType: 'GB/Month',
    price: 0.0184, consumedService: 'Microsoft.Storage', resourceType: 'Microsoft.Storage/storageAccounts', prefix: 'st', productName: 'Blob Storage',
    skuName: 'Hot LRS', productId: 'DZH318Z0BNVX', dailyQuantity: 40, weight: 8,
  },
  {
    category: 'Storage', subCategory: 'Tiered Block Blob', name: 'Hot Read Operations', meterType: '10K Operations', unit: '10K', unitType: '10K Operations',
    price: 0.0044, consumedService: 'Microsoft.Storage', resourceType: 'Microsoft.Storage/storageAccounts', prefix: 'st', productName: 'Blob Storage',
    skuName: 'Hot LRS', productId: 'DZH318Z0BNVX', dailyQuantity: 35, weight: 5,
  },
  {
    category: 'Bandwidth', subCategory: '', name: 'Standard Data Transfer Out', meterType: '1 GB', unit: '1 GB', unitType: 'GB',
    price: 0.087, consumedService: 'Microsoft.Network', resourceType: 'Microsoft.Network/publicIPAddresses', prefix: 'pip', productName: 'Bandwidth',
    skuName: 'Standard', productId: 'DZH318Z0BNVJ', dailyQuantity: 12, weight: 7,
  },
  {
    category: 'SQL Database', subCategory: 'Single Standard', name: 'S1 DTUs', meterType: '1/Day', unit: '1/Day', unitType: 'Days',
    price: 0.97, consumedService: 'Microsoft.Sql', resourceType: 'Microsoft.Sql/servers/databases', prefix: 'sqldb', productName: 'SQL Database Single Standard',
    skuName: 'S1', productId: 'DZH318Z0BQ2J', dailyQuantity: 1, weight: 4,
  },
  {
    category: 'SQL Database', subCategory: 'Single/Elastic Pool General Purpose - Compute Gen5', name: 'vCore', meterType: '1 Hour', unit: '1 Hour', unitType: 'Hours',
    price: 0.2522, consumedService: 'Microsoft.Sql', resourceType: 'Microsoft.Sql/servers/databases', prefix: 'sqlgp', productName: 'SQL Database General Purpose Compute Gen5',
    skuName: 'vCore', productId: 'DZH318Z0BQ2K', dailyQuantity: 48, weight: 3,
  },
  {
    category: 'Azure App Service', subCategory: 'Premium v3 Plan', name: 'P1 v3 App', meterType: '1 Hour', unit: '1 Hour', unitType: 'Hours',
    price: 0.245, consumedService: 'Microsoft.Web', resourceType: 'Microsoft.Web/serverfarms', prefix: 'asp', productName: 'Azure App Service Premium v3 Plan',
    skuName: 'P1 v3', productId: 'DZH318Z0BNW2', dailyQuantity: 24, hours: true, weight: 5,
  },
  {
    category: 'Azure App Service', subCategory: 'Standard Plan', name: 'S1 App', meterType: '1 Hour', unit: '1 Hour', unitType: 'Hours',
    price: 0.1, consumedService: 'Microsoft.Web', resourceType: 'Microsoft.Web/serverfarms', prefix: 'asp', productName: 'Azure App Service Standard Plan',
    skuName: 'S1', productId: 'DZH318Z0BNW0', dailyQuantity: 24, hours: true, weight: 4,
  },
  {
    category: 'Azure Monitor', subCategory: 'Log Analytics', name: 'Pay-as-you-go Data Ingestion', meterType: '1 GB', unit: '1 GB', unitType: 'GB',
    price: 2.3, consumedService: 'Microsoft.OperationalInsights', resourceType: 'Microsoft.OperationalInsights/workspaces', prefix: 'log', productName: 'Log Analytics',
    skuName: 'Pay-as-you-go', productId: 'DZH318Z0BP0M', dailyQuantity: 1.5, weight: 5,
  },
  {
    category: 'Virtual Network', subCategory: 'IP Addresses', name: 'Standard IPv4 Static Public IP', meterType: '1 Hour', unit: '1 Hour', unitType: 'Hours',
    price: 0.005, consumedService: 'Microsoft.Network', resourceType: 'Microsoft.Network/publicIPAddresses', prefix: 'pip', productName: 'IP Addresses',
    skuName: 'Standard', productId: 'DZH318Z0BNTX', dailyQuantity: 24, hours: true, weight: 5,
  },
  {
    category: 'Load Balancer', subCategory: '', name: 'Standard Data Processed', meterType: '1 GB', unit: '1 GB', unitType: 'GB',
    price: 0.005, consumedService: 'Microsoft.Network', resourceType: 'Microsoft.Network/loadBalancers', prefix: 'lb', productName: 'Load Balancer',
    skuName: 'Standard', productId: 'DZH318Z0BNVB', dailyQuantity: 60, weight: 3,
  },
  {
    category: 'Azure Cosmos DB', subCategory: '', name: '100 RU/s', meterType: '100 RU/s/Hour', unit: '100/Hour', unitType: 'Hours',
    price: 0.008, consumedService: 'Microsoft.DocumentDB', resourceType: 'Microsoft.DocumentDB/databaseAccounts', prefix: 'cosmos', productName: 'Azure Cosmos DB',
    skuName: 'Provisioned Throughput', productId: 'DZH318Z0BNVQ', dailyQuantity: 96, weight: 2,
  },
  {
    category: 'Key Vault', subCategory: '', name: 'Operations', meterType: '10K Operations', unit: '10K', unitType: '10K Operations',
    price: 0.03, consumedService: 'Microsoft.KeyVault', resourceType: 'Microsoft.KeyVault/vaults', prefix: 'kv', productName: 'Key Vault',
    skuName: 'Standard', productId: 'DZH318Z0BNXH', dailyQuantity: 3, weight: 3,
  },
  {
    category: 'Backup', subCategory: '', name: 'Azure VM Protected Instances', meterType: '1/Month', unit: '1/Month', unitType: 'Months',
    price: 10, consumedService: 'Microsoft.RecoveryServices', resourceType: 'Microsoft.RecoveryServices/vaults', prefix: 'rsv', productName: 'Backup',
    skuName: 'Standard', productId: 'DZH318Z0BNVL', dailyQuantity: 0.032258, weight: 3,
  },
  {
    category: 'Azure Kubernetes Service', subCategory: '', name: 'Standard Uptime SLA', meterType: '1 Hour', unit: '1 Hour', unitType: 'Hours',
    price: 0.1, consumedService: 'Microsoft.ContainerService', resourceType: 'Microsoft.ContainerService/managedClusters', prefix: 'aks', productName: 'Azure Kubernetes Service',
    skuName: 'Standard', productId: 'DZH318Z0BQ4N', dailyQuantity: 24, hours: true, weight: 2,
  },
];

/** Azure regions: resource location, meter region and the price uplift of the region. */
export const REGIONS: readonly { location: string; meterRegion: string; uplift: number }[] = [
  { location: 'eastus', meterRegion: 'US East', uplift: 1 },
  { location: 'westus2', meterRegion: 'US West 2', uplift: 1 },
  { location: 'westeurope', meterRegion: 'EU West', uplift: 1.1 },
  { location: 'northeurope', meterRegion: 'EU North', uplift: 1.05 },
  { location: 'germanywestcentral', meterRegion: 'DE West Central', uplift: 1.12 },
  { location: 'francecentral', meterRegion: 'FR Central', uplift: 1.12 },
  { location: 'uksouth', meterRegion: 'UK South', uplift: 1.08 },
  { location: 'australiaeast', meterRegion: 'AU East', uplift: 1.2 },
  { location: 'centralindia', meterRegion: 'IN Central', uplift: 0.95 },
  { location: 'brazilsouth', meterRegion: 'BR South', uplift: 1.35 },
  { location: 'southafricanorth', meterRegion: 'ZA North', uplift: 1.15 },
  { location: 'southeastasia', meterRegion: 'AP Southeast', uplift: 1.1 },
];

/** Regions a customer in a country deploys to (first is the main one). */
export function regionsOfCountry(country: string): string[] {
  const table: Record<string, string[]> = {
    US: ['eastus', 'westus2'],
    GB: ['uksouth', 'westeurope'],
    DE: ['germanywestcentral', 'westeurope'],
    FR: ['francecentral', 'westeurope'],
    NL: ['westeurope', 'northeurope'],
    AU: ['australiaeast', 'southeastasia'],
    IN: ['centralindia', 'southeastasia'],
    BR: ['brazilsouth', 'eastus'],
    MX: ['eastus', 'westus2'],
    ZA: ['southafricanorth', 'westeurope'],
    ID: ['southeastasia', 'australiaeast'],
  };
  return table[country] ?? ['eastus'];
}
